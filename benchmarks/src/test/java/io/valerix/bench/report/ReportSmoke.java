package io.valerix.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Lets the smoke test (another package) ask whether the report found every JMH figure. */
public final class ReportSmoke {

    private ReportSmoke() {}

    /** The JMH-based goals and table cells of the report built from {@code results} that have no figure. */
    public static List<String> missingMicroFigures(Path results) throws IOException {
        ReportModel.Report report = BenchReport.build(results, Map.of());
        List<String> missing = new ArrayList<>();
        report.goals().stream()
                .filter(goal -> goal.what().startsWith("Valerix TimeLimiter")
                        || goal.what().startsWith("Valerix on Jetty"))
                .filter(goal -> goal.verdict() == ReportModel.Verdict.NOT_MEASURED)
                .forEach(goal -> missing.add("goal: " + goal.what()));
        for (ReportModel.Section section : report.sections()) {
            for (ReportModel.Table table : section.tables()) {
                for (ReportModel.Row row : table.rows()) {
                    if (row.cells().stream().anyMatch(cell -> cell.equals("–") || cell.equals("n/a"))) {
                        missing.add(section.title() + " / " + table.title() + ": " + row.cells());
                    }
                }
            }
        }
        // The custom harnesses' sections are not measured here; these JMH ones must be, in full.
        Map<String, Integer> tablesBySection = Map.of(
                "Time-limited call, timeout not firing",
                2,
                "Idempotency store on H2",
                1,
                "Gremlin decision and latency recording",
                2,
                "JSON round trip over loopback",
                1,
                "Reconciler draining a backlog",
                1);
        tablesBySection.forEach((title, tables) -> {
            int found = report.sections().stream()
                    .filter(section -> section.title().equals(title))
                    .mapToInt(section -> section.tables().size())
                    .sum();
            if (found != tables) {
                missing.add(title + ": " + found + " tables with figures, expected " + tables);
            }
        });
        return missing;
    }
}
