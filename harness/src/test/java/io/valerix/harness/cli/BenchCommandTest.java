package io.valerix.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("slow")
class BenchCommandTest {

    @TempDir
    Path out;

    @Test
    void benchMeasuresEveryEndToEndFigureAndWritesThemForTheReport() throws Exception {
        // Given a scaled-down run: short windows, few users, a 1 s gremlin against a 300 ms timeout,
        // 200 orders in flight in the child JVM
        int exit = ValerixCli.execute(
                "bench",
                "--out",
                out.toString(),
                "--parts",
                "throughput,gremlin,memory",
                "--users",
                "4",
                "--warmup",
                "1s",
                "--seconds",
                "2s",
                "--gremlin-users",
                "10",
                "--gremlin-seconds",
                "3s",
                "--gremlin",
                "uniform(0ms,1s) after",
                "--timeout",
                "300ms",
                "--in-flight",
                "200");

        // Then it ran to the end and wrote e2e.json
        assertThat(exit).isZero();
        JsonNode result = new ObjectMapper().readTree(out.resolve("e2e.json").toFile());

        // And both throughput targets served orders, and the ratio is theirs
        JsonNode throughput = result.path("throughput");
        double echo = throughput.path("echoChain").path("perSecond").asDouble();
        double orders = throughput.path("orderPath").path("perSecond").asDouble();
        assertThat(echo).isPositive();
        assertThat(orders).isPositive();
        // How fast is the figure, not the test's business; what each answer was is: an order, or on a
        // machine too busy to keep up, a 503 shed at admission, never another failure.
        assertThat(statuses(throughput.path("orderPath")))
                .allMatch(status -> status.startsWith("2") || status.equals("503"));
        assertThat(throughput.path("ratio").asDouble())
                .isCloseTo(orders / echo, org.assertj.core.data.Offset.offset(0.01));

        // And under the gremlin both sides were measured, and the naive client waited for inventory:
        // with 0-1 s delays its slowest reply passes 600 ms. (That Valerix's replies stay near the
        // 300 ms timeout is a figure for the report, not something a loaded machine can promise.)
        JsonNode gremlin = result.path("gremlin");
        assertThat(gremlin.path("valerix").path("sampled").asLong()).isPositive();
        assertThat(statuses(gremlin.path("valerix")))
                .allMatch(status -> status.startsWith("2") || status.equals("503"));
        JsonNode valerix = gremlin.path("valerix");
        assertThat(valerix.path("p50Millis").asDouble())
                .isPositive()
                .isLessThanOrEqualTo(valerix.path("p99Millis").asDouble());
        assertThat(valerix.path("p99Millis").asDouble())
                .isLessThanOrEqualTo(valerix.path("maxMillis").asDouble());
        // A loaded machine cannot make this fail: the naive client waits out the gremlin's delays, up to 1 s.
        assertThat(gremlin.path("naive").path("maxMillis").asDouble()).isGreaterThan(600);
        assertThat(gremlin.path("goalP99Millis").asLong()).isEqualTo(325);

        // And every in-flight order was held at once in the small-heap child and confirmed
        JsonNode memory = result.path("memory");
        assertThat(memory.path("error").isNull()).isTrue();
        assertThat(memory.path("confirmed").asLong()).isEqualTo(200);
        assertThat(memory.path("child").path("peakInFlight").asInt()).isEqualTo(200);
        assertThat(memory.path("child").path("heapMaxMb").asDouble()).isEqualTo(512.0);
        assertThat(memory.path("child").path("heapUsedPeakMb").asDouble()).isPositive();
        assertThat(memory.path("child").path("liveAtPeak").path("liveMb").asDouble())
                .isGreaterThan(memory.path("child").path("heapBaselineMb").asDouble());
        assertThat(memory.path("child").path("liveAtPeak").path("top")).isNotEmpty();
    }

    @Test
    void coldStartFiresEveryOrderAtAFreshlyStartedUpAndRecordsEachAnswer() throws Exception {
        // Given one round of a scaled-down burst: 6 orders at a fresh 'valerix up' (20 warm-up
        // orders), a 1 s gremlin against a 300 ms timeout, and 6 more 1 s after the last answer
        int exit = ValerixCli.execute(coldStartOfOneSmallRound("--coldstart-later-after", "1s"));

        // Then it ran only that part and wrote it for the report
        assertThat(exit).isZero();
        JsonNode result = new ObjectMapper().readTree(out.resolve("e2e.json").toFile());
        assertThat(result.has("throughput")).isFalse();
        JsonNode coldStart = result.path("coldstart");
        assertThat(coldStart.path("error").isNull())
                .as("error of %s", coldStart)
                .isTrue();

        // And every order was sent and answered with an HTTP status, each status counted
        assertThat(coldStart.path("sent").asLong()).isEqualTo(6);
        assertThat(coldStart.path("answered").asLong()).isEqualTo(6);
        assertThat(statuses(coldStart)).allMatch(status -> status.matches("20[12]|503"));
        long counted = 0;
        for (JsonNode count : coldStart.path("statuses")) {
            counted += count.asLong();
        }
        assertThat(counted).isEqualTo(6);
        assertThat(coldStart.path("p50Millis").asDouble())
                .isPositive()
                .isLessThanOrEqualTo(coldStart.path("p99Millis").asDouble());
        assertThat(coldStart.path("p99Millis").asDouble())
                .isLessThanOrEqualTo(coldStart.path("maxMillis").asDouble());
        assertThat(coldStart.path("goalP99Millis").asLong()).isEqualTo(325);
        assertThat(coldStart.path("goalMaxMillis").asLong()).isEqualTo(350);

        // And the round came from a child that announced itself warm with the warm-up asked for
        JsonNode round = coldStart.path("perRound").path(0);
        assertThat(coldStart.path("perRound")).hasSize(1);
        assertThat(round.path("warm").asText()).contains("warm-up orders");
        JsonNode cold = round.path("cold");
        assertThat(cold.path("answered").asLong()).isEqualTo(6);
        assertThat(cold.path("maxMillis").asDouble())
                .isEqualTo(coldStart.path("maxMillis").asDouble());
        // And each answer's time was split into its phases
        assertThat(cold.path("phases").path("waiting").path("maxMillis").asDouble())
                .isPositive()
                .isLessThanOrEqualTo(cold.path("maxMillis").asDouble());
        // And the order service's own window held the burst, and not the warm-up orders (run on a
        // scratch pair), which would be more than the burst
        assertThat(cold.path("server").path("server").path("count").asLong())
                .isPositive()
                .isLessThanOrEqualTo(6);
        assertThat(cold.path("server").path("inventory").path("count").asLong()).isPositive();

        // And the later burst hit the same services and every order of it was answered too
        JsonNode later = round.path("later");
        assertThat(later.path("answered").asLong()).isEqualTo(6);
        assertThat(coldStart.path("later").path("sent").asLong()).isEqualTo(6);
        assertThat(coldStart.path("later").path("answered").asLong()).isEqualTo(6);
        assertThat(coldStart.path("later").path("afterMillis").asLong()).isEqualTo(1000);
        assertThat(later.path("server").path("server").path("count").asLong()).isPositive();

        // And the child JVM is gone
        assertThat(ProcessHandle.current()
                        .descendants()
                        .filter(ProcessHandle::isAlive)
                        .filter(process -> process.info()
                                .arguments()
                                .map(java.util.Arrays::asList)
                                .orElse(java.util.List.of())
                                .contains(UpTiedToParent.class.getName())))
                .isEmpty();
    }

    @Test
    void coldStartOnPostgresStartsEachRoundOnAPrivateClusterWarmedUpOnThatEngine() throws Exception {
        io.valerix.core.testing.TestPostgres.requireBinaries();
        io.valerix.core.testing.TestPostgres.letTheServerReach(out);

        int exit = ValerixCli.execute(
                coldStartOfOneSmallRound("--coldstart-db", "postgres", "--coldstart-later-after", "0s"));

        assertThat(exit).isZero();
        JsonNode coldStart =
                new ObjectMapper().readTree(out.resolve("e2e.json").toFile()).path("coldstart");
        assertThat(coldStart.path("error").isNull())
                .as("error of %s", coldStart)
                .isTrue();
        assertThat(coldStart.path("db").asText()).isEqualTo("postgres");
        assertThat(coldStart.path("answered").asLong()).isEqualTo(6);
        assertThat(statuses(coldStart)).allMatch(status -> status.matches("20[12]|503"));
        assertThat(coldStart.path("perRound").path(0).path("warm").asText())
                .contains("20 warm-up orders on scratch databases in the private PostgreSQL cluster");
    }

    @Test
    void aColdStartDatabaseOtherThanH2OrPostgresIsAUsageError() {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = ValerixCliAccess.commandLine();
        cli.setErr(new java.io.PrintWriter(err, true));

        int exit = cli.execute("bench", "--out", out.toString(), "--parts", "coldstart", "--coldstart-db", "mysql");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("'h2' or 'postgres'");
        assertThat(out.resolve("e2e.json")).doesNotExist();
    }

    /**
     * {@code valerix bench} for the coldstart part only, scaled down: one round of 6 orders at a fresh
     * 'valerix up' (20 warm-up orders), a 0-1 s gremlin against a 300 ms timeout, then {@code more}.
     */
    private String[] coldStartOfOneSmallRound(String... more) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "bench",
                "--out",
                out.toString(),
                "--parts",
                "coldstart",
                "--coldstart-rounds",
                "1",
                "--coldstart-orders",
                "6",
                "--coldstart-warmup-orders",
                "20",
                "--coldstart-timeout",
                "300ms",
                "--gremlin",
                "uniform(0ms,1s) after"));
        args.addAll(java.util.List.of(more));
        return args.toArray(String[]::new);
    }

    private static java.util.List<String> statuses(JsonNode outcome) {
        java.util.List<String> statuses = new java.util.ArrayList<>();
        outcome.path("statuses").fieldNames().forEachRemaining(statuses::add);
        assertThat(statuses).as("statuses of %s", outcome).isNotEmpty();
        return statuses;
    }
}
