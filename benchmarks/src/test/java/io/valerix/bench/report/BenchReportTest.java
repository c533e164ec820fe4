package io.valerix.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.bench.report.ReportModel.Goal;
import io.valerix.bench.report.ReportModel.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

    @TempDir
    Path dir;

    private Path fixture() throws IOException {
        Path results = Files.createDirectories(dir.resolve("results"));
        for (String name : List.of("jmh.json", "timeouts.json", "e2e.json")) {
            try (InputStream in = getClass().getResourceAsStream("fixture/" + name)) {
                Files.copy(in, results.resolve(name));
            }
        }
        return results;
    }

    private static Verdict verdict(ReportModel.Report report, String goalStart) {
        return report.goals().stream()
                .filter(goal -> goal.what().startsWith(goalStart))
                .map(Goal::verdict)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void sectionsOtherScriptsWroteBetweenMarkersAreKeptWhenTheFileIsRegenerated() throws Exception {
        Path markdown = dir.resolve("BENCHMARKS.md");
        String throughput = "<!-- bench-throughput:begin -->\n## Throughput\n| a | b |\n<!-- bench-throughput:end -->";
        String h2 = "<!-- h2-commit-cost:begin -->\n## H2\n<!-- h2-commit-cost:end -->";
        Files.writeString(markdown, "# old generated part\n\n" + throughput + "\n\nstray text\n\n" + h2 + "\n");

        String kept = BenchReport.keptSections(markdown);

        assertThat(kept).contains(throughput, h2).doesNotContain("old generated part", "stray text");
        assertThat(BenchReport.keptSections(dir.resolve("missing.md"))).isEmpty();
    }

    @Test
    void goalsAreJudgedFromTheMeasuredFiguresAndMissesAreSaidPlainly() throws Exception {
        // Given results where the platform-caller limiter, the memory run and the latency meet their
        // goals, and the virtual-caller limiter and the throughput ratio do not
        Path results = fixture();

        // When the report is built
        ReportModel.Report report = BenchReport.build(results, Map.of("--commit", "abc1234"));

        // Then each goal carries the verdict its figures give
        assertThat(verdict(report, "Valerix TimeLimiter overhead, platform caller"))
                .isEqualTo(Verdict.MET);
        assertThat(verdict(report, "Valerix TimeLimiter overhead, virtual caller"))
                .isEqualTo(Verdict.MISSED);
        assertThat(verdict(report, "Orders/s")).isEqualTo(Verdict.MISSED);
        assertThat(verdict(report, "Order p99")).isEqualTo(Verdict.MET);
        assertThat(verdict(report, "10,000 orders in flight")).isEqualTo(Verdict.MET);
        // And the overhead is the score minus the baseline of the same caller kind
        assertThat(report.goals().get(0).measured()).startsWith("2,000 ns");
        assertThat(report.goals().get(1).measured()).startsWith("12,000 ns");
        // And the markdown says MISSED where a goal was missed
        String markdown = MarkdownPage.render(report);
        assertThat(markdown)
                .contains(
                        "| Orders/s, full path vs bare echo chain | ratio ≥ 0.6 | 0.25 (200 vs 800 orders/s) | **MISSED** |");
        assertThat(markdown).contains("`abc1234`").contains("Caveat").contains("load average");
    }

    @Test
    void theJettyRatioComesFromTheTwoServersOfOneGroupMeasuredInTheSameWindow() throws Exception {
        // Given fixture results where each shape is one JMH group entry: its primary score is both
        // servers together (echo 9,000, health 10,000), each server's own score a secondary metric
        // named after its method (echo: Valerix 4,000, bare 5,000; health: Valerix 3,000, bare 7,000),
        // and B/op from -prof gc is the group's alone
        Path results = fixture();

        // When the report is built
        ReportModel.Report report = BenchReport.build(results, Map.of());

        // Then each goal's ratio is Valerix's secondary metric over bare Jetty's, from the same entry
        String echo = "Valerix on Jetty vs bare Jetty, JSON echo";
        String health = "Valerix on Jetty vs bare Jetty, /health GET";
        assertThat(goal(report, echo).measured()).isEqualTo("0.80× (4,000 vs 5,000 requests/s, same window)");
        assertThat(goal(report, echo).verdict()).isEqualTo(Verdict.MET);
        assertThat(goal(report, health).measured()).isEqualTo("0.43× (3,000 vs 7,000 requests/s, same window)");
        assertThat(goal(report, health).verdict()).isEqualTo(Verdict.MISSED);
        // And the table has each server's own figure and the ratio, with B/op once per shape under it
        assertThat(MarkdownPage.render(report))
                .contains(
                        "| **JSON echo (PUT, body read and written)** | Valerix JsonServer on Jetty | 4,000 ± 500 | 0.80× |")
                .contains(
                        "| JSON echo (PUT, body read and written) | bare Jetty handler (same Jackson work) | 5,000 ± 600 | 1× |")
                .contains("| **/health GET** | Valerix JsonServer on Jetty | 3,000 ± 900 | 0.43× |")
                .contains("| /health GET | bare Jetty handler (same Jackson work) | 7,000 ± 800 | 1× |")
                .contains("JSON echo (PUT, body read and written) 35,000; /health GET 31,500.")
                .contains("measured together, in the same window, 2 client threads each");
    }

    private static Goal goal(ReportModel.Report report, String goalStart) {
        return report.goals().stream()
                .filter(goal -> goal.what().startsWith(goalStart))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theGremlinGoalNeedsTheMaxWithinTimeoutPlus50Ms() throws Exception {
        // Given fixture results whose gremlin p99 (2,019 ms) is within timeout + 25 ms, and whose
        // slowest order is moved past timeout + 50 ms
        Path results = fixture();
        Path e2e = results.resolve("e2e.json");
        Files.writeString(e2e, Files.readString(e2e).replace("\"maxMillis\": 2040.0", "\"maxMillis\": 2051.0"));

        // Then the goal is missed
        ReportModel.Report report = BenchReport.build(results, Map.of());
        assertThat(verdict(report, "Order p99 and max under the default gremlin"))
                .isEqualTo(Verdict.MISSED);
    }

    @Test
    void theColdStartGoalNeedsTheP99AndTheMaxWithinBoundsAndEveryOrderAnswered() throws Exception {
        // Given fixture results whose cold-start p99 (1,020 ms) is within timeout + 25 ms but whose
        // slowest order (1,090 ms, round 2) is past timeout + 50 ms
        Path results = fixture();
        String cold = "Order p99 and max in the first second after start";

        // Then the goal is missed, and the report says each start's slowest order
        ReportModel.Report report = BenchReport.build(results, Map.of());
        assertThat(verdict(report, cold)).isEqualTo(Verdict.MISSED);
        assertThat(report.goals().stream()
                        .filter(goal -> goal.what().startsWith(cold))
                        .findFirst()
                        .orElseThrow()
                        .measured())
                .isEqualTo(
                        "p99 1,020 ms, max 1,090 ms (per start: 1,040, 1,090 ms; a later burst at the same services: p99 1,025 ms, max 1,030 ms)");
        assertThat(MarkdownPage.render(report))
                .contains("## End to end: latency in the first second after start")
                .contains(
                        "| **2, at announcement** | 6.20 | 1,004 | 1,085 | 1,090 | 1,082 | 1,010 / 1,012 | 11 × 201, 49 × 202 |")
                .contains(
                        "| 11.0 s after the first burst's last answer (120 orders) | 1,003 | 1,025 | 1,030 | 20 × 201, 100 × 202 |");

        // When the slowest order is within timeout + 50 ms, it is met
        Path e2e = results.resolve("e2e.json");
        Files.writeString(e2e, Files.readString(e2e).replace("\"maxMillis\": 1090.0", "\"maxMillis\": 1045.0"));
        assertThat(verdict(BenchReport.build(results, Map.of()), cold)).isEqualTo(Verdict.MET);

        // And when an order went unanswered, it is missed whatever the latency
        Files.writeString(
                e2e,
                Files.readString(e2e)
                        .replace("\"sent\": 120,\n  \"answered\": 120", "\"sent\": 120,\n  \"answered\": 119"));
        ReportModel.Report unanswered = BenchReport.build(results, Map.of());
        assertThat(verdict(unanswered, cold)).isEqualTo(Verdict.MISSED);
        assertThat(unanswered.goals().stream()
                        .filter(goal -> goal.what().startsWith(cold))
                        .findFirst()
                        .orElseThrow()
                        .measured())
                .startsWith("NOT ALL ANSWERED (119 of 120)");
    }

    @Test
    void aMissingResultIsReportedAsNotMeasuredNeverAsAFigure() throws Exception {
        // Given an empty results directory
        Path results = Files.createDirectories(dir.resolve("empty"));

        // When the report is built
        ReportModel.Report report = BenchReport.build(results, Map.of());

        // Then every goal is "not measured" and no table has a row
        assertThat(report.goals())
                .isNotEmpty()
                .allSatisfy(goal -> assertThat(goal.verdict()).isEqualTo(Verdict.NOT_MEASURED));
        assertThat(report.sections())
                .allSatisfy(section -> assertThat(section.tables())
                        .allSatisfy(table -> assertThat(table.rows()).isEmpty()));
    }

    @Test
    void theHtmlPageIsSelfContainedWithAChartPerFigureTable() throws Exception {
        // Given the fixture results
        Path results = fixture();
        Path html = dir.resolve("out/report.html");
        Path markdown = dir.resolve("out/BENCHMARKS.md");

        // When the command writes the report
        BenchReport.main(new String[] {
            "--results", results.toString(), "--html", html.toString(), "--markdown", markdown.toString()
        });

        // Then the page loads nothing from elsewhere, and draws the figures as inline SVG
        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertThat(page).doesNotContain("src=").doesNotContain("href=").doesNotContain("<script");
        assertThat(page)
                .contains("<svg")
                .contains("Valerix TimeLimiter (caller runs)")
                .contains("class=\"missed\"");
        assertThat(Files.readString(markdown, StandardCharsets.UTF_8)).startsWith("# Valerix benchmarks");
    }
}
