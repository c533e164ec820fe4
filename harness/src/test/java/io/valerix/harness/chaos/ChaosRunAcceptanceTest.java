package io.valerix.harness.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.harness.cli.ExitCodes;
import io.valerix.harness.cli.ValerixCli;
import io.valerix.harness.report.AttemptRecord;
import io.valerix.harness.report.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CI-sized chaos run, end to end through the CLI: both services started here, the gremlin on in
 * the chaos phase (scaled down: up to 500 ms after the reservation, against a 200 ms order timeout,
 * so most reservations answer late), duplicates on; the verdict must be PASS and the run directory
 * complete.
 */
@Tag("slow")
class ChaosRunAcceptanceTest {

    @TempDir
    Path dir;

    @Test
    void aScaledDownChaosRunWithDuplicatesEndsPassAndWritesItsReport() throws Exception {
        Path runDir = dir.resolve("run");

        // The settle and drain bounds are generous, not expected: the run waits for the condition (no
        // order PENDING, no request under way) and goes on as soon as it holds. On a loaded machine the
        // reconciler needs far longer than on an idle one, and a bound reached counts the stragglers
        // as anomalies. doohickey=2 sells out within the first orders at any speed, so rejections happen.
        int exit = ValerixCli.execute(
                "chaos",
                "--duration",
                "27s",
                "--rate",
                "80",
                "--duplicates",
                "20%",
                "--gremlin",
                "uniform(0ms,500ms) after",
                "--timeout",
                "200ms",
                "--stock",
                "widget=1000",
                "--stock",
                "gadget=300",
                "--stock",
                "gizmo=100",
                "--stock",
                "doohickey=2",
                "--seed",
                "42",
                "--settle-timeout",
                "240s",
                "--drain-timeout",
                "120s",
                "--out",
                runDir.toString());

        JsonNode summary =
                RunFiles.mapper().readTree(runDir.resolve(RunFiles.SUMMARY).toFile());
        assertThat(summary.path("verdict").asText()).as("summary %s", summary).isEqualTo("PASS");
        assertThat(exit).isZero();
        // How many orders a loaded machine manages is not the point; that each intent became at most
        // one order, and every order is accounted for, is.
        List<AttemptRecord> attempts = RunFiles.readLines(runDir.resolve(RunFiles.CLIENT), AttemptRecord.class);
        long intents = attempts.stream().map(AttemptRecord::orderId).distinct().count();
        assertThat(summary.path("intents").asLong()).isEqualTo(intents);
        assertThat(summary.path("orders").asLong()).isPositive().isLessThanOrEqualTo(intents);
        assertThat(summary.path("seed").asLong()).isEqualTo(42);
        for (String zero : List.of("lost", "duplicated", "oversold", "unconserved", "pending", "disagreements")) {
            assertThat(summary.path(zero).isNumber()).as(zero).isTrue();
            assertThat(summary.path(zero).asLong()).as(zero).isZero();
        }
        for (String phase : List.of("baseline", "chaos", "recovery")) {
            JsonNode latency = summary.path("latency").path(phase);
            assertThat(latency.path("p50").isNumber()).as(phase).isTrue();
            assertThat(latency.path("p99").asDouble())
                    .as(phase)
                    .isGreaterThanOrEqualTo(latency.path("p50").asDouble());
            assertThat(latency.path("max").asDouble())
                    .as(phase)
                    .isGreaterThanOrEqualTo(latency.path("p99").asDouble());
        }
        // The chaos really happened and the workload really duplicated and got rejections.
        assertThat(attempts).anyMatch(a -> a.kind().equals(AttemptRecord.DUPLICATE));
        assertThat(summary.path("outcomes").path("ordersRejected").asLong()).isPositive();
        JsonNode run = RunFiles.mapper().readTree(runDir.resolve(RunFiles.RUN).toFile());
        assertThat(run.path("phases")
                        .get(1)
                        .path("gremlinCounts")
                        .path("delay_after")
                        .asLong())
                .isPositive();
        assertThat(Files.readAllLines(runDir.resolve(RunFiles.GREMLIN))).isNotEmpty();

        String html = Files.readString(runDir.resolve(RunFiles.REPORT));
        assertThat(html).contains(">PASS<", "uPlot", "uniform(0ms,500ms) after", "--seed 42", "chaos");
        assertThat(html).doesNotContain("<script src=", "<link rel=\"stylesheet\" href=");
        assertThat(html)
                .contains(String.format(
                        java.util.Locale.ROOT,
                        "%,d orders in the order database",
                        summary.path("orders").asLong()));

        // valerix report renders it again from the saved files alone.
        Files.delete(runDir.resolve(RunFiles.REPORT));
        assertThat(ValerixCli.execute("report", runDir.toString())).isZero();
        // (Not byte for byte: decisions still in flight when the first render ran reach gremlin.jsonl when the services
        // stop.)
        assertThat(Files.readString(runDir.resolve(RunFiles.REPORT)))
                .contains(
                        ">PASS<",
                        String.format(
                                java.util.Locale.ROOT,
                                "%,d orders in the order database",
                                summary.path("orders").asLong()));
        assertThat(ValerixCli.execute("report", dir.resolve("no-such-run").toString()))
                .isEqualTo(ExitCodes.ERROR);
    }
}
