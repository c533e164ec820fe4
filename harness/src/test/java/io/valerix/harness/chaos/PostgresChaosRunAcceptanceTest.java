package io.valerix.harness.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.core.testing.TestPostgres;
import io.valerix.harness.cli.ValerixCli;
import io.valerix.harness.report.RunFiles;
import io.valerix.harness.services.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI-sized chaos run of {@link ChaosRunAcceptanceTest} on PostgreSQL: {@code valerix chaos
 * --db postgres} runs a private cluster under the run's data directory, and stops it at the end.
 */
@Tag("slow")
class PostgresChaosRunAcceptanceTest {

    @TempDir
    Path dir;

    @Test
    void aScaledDownChaosRunOnAPrivatePostgresClusterEndsPassAndStopsTheCluster() throws Exception {
        TestPostgres.requireBinaries();
        TestPostgres.letTheServerReach(dir);
        Path runDir = dir.resolve("run");

        int exit = ValerixCli.execute(
                "chaos",
                "--db",
                "postgres",
                "--duration",
                "21s",
                "--rate",
                "60",
                "--duplicates",
                "20%",
                "--gremlin",
                "uniform(0ms,500ms) after",
                "--timeout",
                "200ms",
                "--seed",
                "42",
                "--settle-timeout",
                "25s",
                "--drain-timeout",
                "15s",
                "--out",
                runDir.toString());

        JsonNode summary =
                RunFiles.mapper().readTree(runDir.resolve(RunFiles.SUMMARY).toFile());
        assertThat(summary.path("verdict").asText()).as("summary %s", summary).isEqualTo("PASS");
        assertThat(exit).isZero();
        assertThat(summary.path("orders").asLong()).isGreaterThanOrEqualTo(800);
        for (String zero : List.of("lost", "duplicated", "oversold", "unconserved", "pending", "disagreements")) {
            assertThat(summary.path(zero).asLong()).as(zero).isZero();
        }
        assertThat(summary.path("outcomes").path("ordersRejected").asLong()).isPositive();

        Path cluster = runDir.resolve("data")
                .resolve(Storage.CLUSTER_DIRECTORY)
                .resolve("cluster")
                .resolve("data");
        assertThat(cluster.resolve("PG_VERSION"))
                .as("the data was in PostgreSQL")
                .exists();
        assertThat(runDir.resolve("data").resolve("orders")).as("no H2 files").doesNotExist();
        assertThat(Files.exists(cluster.resolve("postmaster.pid")))
                .as("the cluster was stopped at the end")
                .isFalse();
    }
}
