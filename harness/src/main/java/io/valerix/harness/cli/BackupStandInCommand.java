package io.valerix.harness.cli;

import io.valerix.harness.backup.BackupServiceStandIn;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code valerix backup stand-in}: the stand-in backup service, one call per UTC day. */
@Command(
        name = "stand-in",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a stand-in for the off-site backup service on loopback until Ctrl-C.",
            "It accepts one POST /backups per UTC day and answers 429 to every further call that day."
        })
final class BackupStandInCommand implements Callable<Integer> {

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port = 8090;

    @Option(names = "--store", paramLabel = "DIR", description = "Keep accepted bundles here (default: keep none).")
    Path store;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        BackupServiceStandIn standIn = BackupServiceStandIn.start(port, InstantSource.system(), store);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            standIn.close();
                            stopped.countDown();
                        },
                        "stand-in-shutdown"));
        out.printf("Backup service stand-in at %s (one call per UTC day). Press Ctrl-C to stop.%n", standIn.endpoint());
        out.flush();
        stopped.await();
        return ExitCodes.SUCCESS;
    }
}
