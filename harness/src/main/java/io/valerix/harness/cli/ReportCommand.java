package io.valerix.harness.cli;

import io.valerix.harness.report.HtmlReport;
import io.valerix.harness.report.RunFiles;
import io.valerix.harness.report.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code valerix report RUN_DIR}: renders a saved chaos run's report.html again from its data files. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Renders RUN_DIR/report.html again from the run's saved data files.",
            "It reads run.json, summary.json, client.jsonl, health.jsonl and gremlin.jsonl, for example after an upgrade of the"
                    + " report. Needs no running service."
        })
final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR", description = "A directory written by 'valerix chaos'.")
    Path runDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.isDirectory(runDir)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "RUN_DIR " + runDir + " is not a directory");
        }
        Path report = HtmlReport.renderRunDirectory(runDir);
        RunSummary summary = RunFiles.read(runDir.resolve(RunFiles.SUMMARY), RunSummary.class);
        spec.commandLine()
                .getOut()
                .println("Verdict " + summary.verdict().name() + "; report written to " + report.toAbsolutePath());
        spec.commandLine().getOut().flush();
        return ExitCodes.SUCCESS;
    }
}
