package io.valerix.harness.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.core.jdbc.PostgresCluster;
import io.valerix.core.testing.TestPostgres;
import io.valerix.harness.cli.ValerixCliAccess;
import io.valerix.harness.fleet.ServiceChild;
import io.valerix.harness.report.RunFiles;
import io.valerix.harness.services.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The CI-sized crash chaos run (issue 15), the full-size run's mix at 1,500 orders: three
 * order-service processes on one PostgreSQL order database, inventory in a fourth, 20% duplicates
 * spread over the instances, inventory delaying its answers 0-5 s and failing 5% of them, one order
 * instance and the inventory killed with {@code kill -9} mid-run and restarted on the same data,
 * and a black hole on the link between them. The verdict is still PASS with all six counts zero,
 * every kill and the black hole are in run.json and the report, the keys in flight at the order
 * instance's kill were replayed with success, and no service process outlives the run. The
 * full-size run (10,000 orders) is documented in docs/chaos.md.
 */
@Tag("slow")
class CrashChaosAcceptanceTest {

    @TempDir
    Path dir;

    @Test
    void threeOrderInstancesWithAnOrderAndAnInventoryKilledAndABlackHoleStillPassWithEveryCountZero() throws Exception {
        PostgresCluster cluster = TestPostgres.cluster();
        String orderDb = cluster.createDatabase("crash_chaos_orders");
        String inventoryDb = cluster.createDatabase("crash_chaos_inventory");
        Path runDir = dir.resolve("run");
        CommandLine cli = ValerixCliAccess.withChaosEnvironment(Map.of(
                Storage.ORDER_USER_ENV,
                PostgresCluster.SUPERUSER,
                Storage.ORDER_PASSWORD_ENV,
                cluster.password(),
                Storage.INVENTORY_USER_ENV,
                PostgresCluster.SUPERUSER,
                Storage.INVENTORY_PASSWORD_ENV,
                cluster.password()));

        int exit = cli.execute(
                "chaos",
                "--order-db-url",
                orderDb,
                "--inventory-db-url",
                inventoryDb,
                "--order-instances",
                "3",
                "--kill",
                "order:at 7s",
                "--kill",
                "inventory:at 13s",
                "--link",
                "blackhole 2s at 10s",
                "--duration",
                "20s",
                "--rate",
                "75",
                "--duplicates",
                "20%",
                "--gremlin",
                "uniform(0ms,5s) after; error(503) p=0.05",
                "--seed",
                "15",
                "--settle-timeout",
                "60s",
                "--drain-timeout",
                "30s",
                "--out",
                runDir.toString());

        JsonNode summary =
                RunFiles.mapper().readTree(runDir.resolve(RunFiles.SUMMARY).toFile());
        assertThat(summary.path("verdict").asText()).as("summary %s", summary).isEqualTo("PASS");
        assertThat(exit).isZero();
        for (String zero : List.of("lost", "duplicated", "oversold", "unconserved", "pending", "disagreements")) {
            assertThat(summary.path(zero).asLong()).as(zero).isZero();
        }
        assertThat(summary.path("intents").asLong()).isEqualTo(1_500);

        JsonNode run = RunFiles.mapper().readTree(runDir.resolve(RunFiles.RUN).toFile());
        assertThat(run.path("orderUrls")).hasSize(3);
        assertThat(run.path("kills").findValuesAsText("instanceId")).containsExactly("order-1", "inventory");
        for (JsonNode kill : run.path("kills")) {
            assertThat(kill.path("servingMs").asDouble())
                    .as("restarted after the kill")
                    .isGreaterThan(kill.path("killedMs").asDouble());
        }
        // Both kills fall in the chaos phase (5 s to 15 s of 20), when inventory's 0-5 s delays keep
        // requests in flight. A user told 409 keeps coming back, and the dead holder's claims are
        // released (by another instance's heartbeat takeover, or by its restart), so every key in
        // flight at the order kill was answered within the run. How soon is a figure of the full-size
        // run in docs/chaos.md: it depends on how fast the machine restarts a JVM, which no test may.
        JsonNode orderKill = run.path("kills").get(0);
        assertThat(orderKill.path("keysInFlight").asInt()).as("%s", orderKill).isPositive();
        assertThat(orderKill.hasNonNull("firstReplayMs"))
                .as("a replayed in-flight key answered: %s", orderKill)
                .isTrue();
        assertThat(orderKill.hasNonNull("lastReplayMs"))
                .as("every in-flight key answered: %s", orderKill)
                .isTrue();
        assertThat(run.path("links")).singleElement().satisfies(link -> {
            assertThat(link.path("fault").asText()).isEqualTo("blackhole");
            assertThat(link.path("endMs").asDouble())
                    .isGreaterThan(link.path("startMs").asDouble());
        });
        assertThat(Files.readString(runDir.resolve(RunFiles.REPORT)))
                .contains("Kills and recovery", "order-1", "time to recover", "Faults of the link", "blackhole");

        // Both instances served, and some intent's requests went to both of them.
        Set<String> instances = new HashSet<>();
        Map<String, Set<String>> instancesByOrder = new java.util.HashMap<>();
        for (JsonNode attempt : RunFiles.mapper()
                .readerFor(JsonNode.class)
                .<JsonNode>readValues(runDir.resolve(RunFiles.CLIENT).toFile())
                .readAll()) {
            instances.add(attempt.path("instance").asText());
            instancesByOrder
                    .computeIfAbsent(attempt.path("orderId").asText(), k -> new HashSet<>())
                    .add(attempt.path("instance").asText());
        }
        assertThat(instances).containsExactlyInAnyOrder("order-1", "order-2", "order-3");
        assertThat(instancesByOrder.values()).anyMatch(s -> s.size() >= 2);

        // Every service process the run started is gone.
        List<String> left = new ArrayList<>();
        ProcessHandle.current()
                .descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(ServiceChild.class.getName()))
                .forEach(p -> left.add(p.info().commandLine().orElse("?")));
        assertThat(left).as("service processes left running").isEmpty();
    }
}
