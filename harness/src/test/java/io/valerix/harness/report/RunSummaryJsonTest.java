package io.valerix.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** summary.json keeps its shape now that the verdict is one record inside the summary. */
class RunSummaryJsonTest {

    private static final String OLD_SUMMARY = "summary-written-before-the-verdict-record.json";

    @TempDir
    Path dir;

    @Test
    void aSummaryWrittenByAnEarlierRunStillReads() throws Exception {
        Path file = oldSummary();

        RunSummary summary = RunFiles.read(file, RunSummary.class);

        Verdict verdict = summary.verdict();
        assertThat(verdict.name()).isEqualTo(Verdict.FAIL);
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.intents()).isEqualTo(10_000);
        assertThat(verdict.requests()).isEqualTo(24_917);
        assertThat(verdict.orders()).isEqualTo(10_001);
        assertThat(verdict.duplicated()).isEqualTo(1);
        assertThat(verdict.outcomes())
                .containsExactly(
                        Map.entry("confirmed", 820L),
                        Map.entry("rejected", 5276L),
                        Map.entry("ordersConfirmed", 976L),
                        Map.entry("ordersPending", 0L));
        assertThat(verdict.findings())
                .containsExactly(new Verdict.Finding(
                        "duplicated", "run-7-000042", "an order no intent of the run asked for (1 x widget)"));
        assertThat(summary.seed()).isEqualTo(2026);
        assertThat(summary.latency()).containsOnlyKeys("baseline", "chaos");
        assertThat(summary.latency().get("chaos").p99()).isEqualTo(1981.44);
        assertThat(summary.command()).isEqualTo("valerix chaos --db postgres --duration 200s --rate 50 --seed 2026");
        assertThat(summary.report()).isEqualTo("report.html");
    }

    @Test
    void aSummaryIsWrittenWithTheSameFieldsAtTheTopLevelAsEarlierRunsWroteThem() throws Exception {
        RunSummary read = RunFiles.read(oldSummary(), RunSummary.class);
        Path written = dir.resolve(RunFiles.SUMMARY);

        RunFiles.write(written, read);

        JsonNode before = RunFiles.mapper().readTree(oldSummary().toFile());
        JsonNode after = RunFiles.mapper().readTree(written.toFile());
        assertThat(fieldNames(after)).containsExactlyInAnyOrderElementsOf(fieldNames(before));
        assertThat(after).isEqualTo(before);
        assertThat(fieldNames(after).get(0)).as("the verdict leads, as before").isEqualTo("verdict");
    }

    @Test
    void theVerdictIsDerivedFromTheCountsSoAPassNeedsEveryCountZero() {
        Verdict clean = new Verdict(10, 12, 10, 0, 0, 0, 0, 0, 0, Map.of(), List.of());
        Verdict pending = new Verdict(10, 12, 10, 0, 0, 0, 0, 1, 0, Map.of(), List.of());

        assertThat(clean.name()).isEqualTo(Verdict.PASS);
        assertThat(pending.name()).isEqualTo(Verdict.FAIL);
    }

    private Path oldSummary() throws Exception {
        Path file = dir.resolve("old-" + RunFiles.SUMMARY);
        try (InputStream in = RunSummaryJsonTest.class.getResourceAsStream(OLD_SUMMARY)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
