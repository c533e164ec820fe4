package io.valerix.harness.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.harness.cli.ValerixCli;
import io.valerix.harness.report.AttemptRecord;
import io.valerix.harness.report.RunFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The closed model against healthy services at given URLs: N users, each ordering when the last
 * order was answered, through the chaos phase; PASS, and the gremlin's spec is put back afterwards.
 */
@Tag("slow")
class ClosedModelChaosTest {

    @TempDir
    Path dir;

    @Test
    void usersOrderingOneAfterAnotherThroughChaosPassAgainstHealthyServices() throws Exception {
        Path runDir = dir.resolve("run");
        try (BrokenServices services = new BrokenServices(dir, inventory -> inventory, null, null)) {

            int exit = ValerixCli.execute(services.chaosArgs(runDir, "--users", "8"));

            JsonNode summary =
                    RunFiles.mapper().readTree(runDir.resolve(RunFiles.SUMMARY).toFile());
            assertThat(exit).as("summary %s", summary).isZero();
            assertThat(summary.path("verdict").asText()).isEqualTo("PASS");
            JsonNode run =
                    RunFiles.mapper().readTree(runDir.resolve(RunFiles.RUN).toFile());
            assertThat(run.path("users").asInt()).isEqualTo(8);
            assertThat(run.path("servicesStarted").asBoolean()).isFalse();
            List<AttemptRecord> attempts = RunFiles.readLines(runDir.resolve(RunFiles.CLIENT), AttemptRecord.class);
            assertThat(attempts).extracting(AttemptRecord::phase).contains("baseline", "chaos", "recovery");
            // The chaos phase was switched on through PUT /admin/gremlin, and off again.
            assertThat(run.path("phases")
                            .get(1)
                            .path("gremlinCounts")
                            .path("delay_after")
                            .asLong())
                    .isPositive();
            assertThat(run.path("phases").get(2).path("gremlin").asText()).isEqualTo("none");
        }
    }
}
