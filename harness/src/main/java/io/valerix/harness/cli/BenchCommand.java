package io.valerix.harness.cli;

import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.harness.bench.EndToEndBench;
import io.valerix.harness.services.Warmup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code valerix bench}: the end-to-end figures, each on real servers on loopback, written to
 * {@code e2e.json} for the benchmark report ({@code bin/bench}).
 *
 * <ul>
 *   <li>{@code throughput}: orders/s with the gremlin off, the full order path (order service and
 *       inventory, both databases) against a bare two-hop echo chain on the same HTTP stack, one
 *       after the other in one run; their ratio.
 *   <li>{@code gremlin}: the default gremlin ({@code uniform(0ms,5s) after}, timeout 2 s) under
 *       200 concurrent users: order p99 and max, beside a naive order front without deadlines
 *       calling the same inventory at the same time with as many users.
 *   <li>{@code memory}: 10,000 orders in flight at once in a child JVM with {@code -Xmx512m}:
 *       whether every order was answered, and the heap's high-water marks.
 *   <li>{@code coldstart}: 60 concurrent orders fired the moment a freshly started {@code valerix up}
 *       (a new JVM per round, default gremlin, timeout 1 s) announces itself: latency as the
 *       clients saw it and as the order service measured it, against timeout + 25 ms (p99) and
 *       timeout + 50 ms (max), beside a later burst at the same services. Not in the default parts
 *       (a JVM start and warm-up per round: minutes); {@code bin/bench} names it.
 * </ul>
 *
 * <p>Exit code 0 when the figures were measured, whether or not they meet their goals (the report
 * says which do); 2 if a part could not run.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measures end-to-end figures on loopback and writes them to a JSON file in OUT.",
            "The parts: orders/s against a bare echo chain, latency under the default gremlin against a naive client, 10,000"
                    + " orders in flight in a 512 MB child JVM, and (part coldstart, only when named: a JVM start per round, 2-3"
                    + " minutes) 60 orders at once the moment a freshly started 'valerix up' announces itself, beside 60 more at the"
                    + " same services later. bin/bench turns e2e.json into the benchmark report; it names all four parts."
        })
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--full", description = "Longer runs (the full profile); the default is the quick one.")
    boolean full;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Where e2e.json and the child JVM's log go (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("target", "bench");

    @Option(
            names = "--parts",
            split = ",",
            paramLabel = "PART",
            description =
                    "Which parts to run: throughput, gremlin, memory, coldstart (default: throughput,gremlin,memory; "
                            + "coldstart starts a JVM per round and takes 2-3 minutes, so it runs only when named, as bin/bench does).")
    List<String> parts = List.of("throughput", "gremlin", "memory");

    @Option(names = "--users", paramLabel = "N", description = "Concurrent users of the throughput part (default: 16).")
    int users = 16;

    @Option(
            names = "--seconds",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Measured time of each throughput target (default: 10s quick, 30s full).")
    Duration seconds;

    @Option(
            names = "--warmup",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Warm-up before each measured window (default: 5s quick, 10s full).")
    Duration warmup;

    @Option(
            names = "--gremlin-users",
            paramLabel = "N",
            description = "Concurrent users on each side of the gremlin part (default: 200).")
    int gremlinUsers = 200;

    @Option(
            names = "--gremlin-seconds",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Measured time of the gremlin part (default: 20s quick, 60s full).")
    Duration gremlinSeconds;

    @Option(
            names = "--gremlin",
            paramLabel = "SPEC",
            description = "The inventory's gremlin in the gremlin and coldstart parts (default: ${DEFAULT-VALUE}).")
    String gremlin = "uniform(0ms,5s) after";

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "The order service's timeout in the gremlin part (default: 2s).")
    Duration timeout = Duration.ofSeconds(2);

    @Option(
            names = "--in-flight",
            paramLabel = "N",
            description = "Orders in flight at once in the memory part (default: ${DEFAULT-VALUE}).")
    int inFlight = 10_000;

    @Option(
            names = "--max-heap",
            paramLabel = "SIZE",
            description = "The memory part's child JVM -Xmx (default: ${DEFAULT-VALUE}).")
    String maxHeap = "512m";

    @Option(
            names = "--coldstart-rounds",
            paramLabel = "N",
            description =
                    "Rounds of the coldstart part, each with a freshly started 'valerix up' in a new JVM (default: ${DEFAULT-VALUE}).")
    int coldStartRounds = 5;

    @Option(
            names = "--coldstart-orders",
            paramLabel = "N",
            description =
                    "Concurrent orders fired in each coldstart round the moment the services are announced (default: ${DEFAULT-VALUE}).")
    int coldStartOrders = 60;

    @Option(
            names = "--coldstart-timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "The order service's timeout in the coldstart part (default: 1s); its gremlin is --gremlin's.")
    Duration coldStartTimeout = Duration.ofSeconds(1);

    @Option(
            names = "--coldstart-warmup-orders",
            paramLabel = "N",
            description =
                    "--warmup-orders of each 'valerix up' in the coldstart part; 0 measures a start without warm-up orders"
                            + " (default: up's, ${DEFAULT-VALUE}).")
    int coldStartWarmupOrders = Warmup.DEFAULT_ORDERS;

    @Option(
            names = "--coldstart-later-after",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = {
                "In each coldstart round, how long after the first burst's last answer the same services get a second burst"
                        + " (the warm control, beside the cold figure); 0 skips it.",
                "The default, 11s, outlasts the order service's 10 s latency window, so its own figures then hold the second burst alone."
            })
    Duration coldStartLaterAfter = Duration.ofSeconds(11);

    @Option(
            names = "--coldstart-db",
            paramLabel = "ENGINE",
            description =
                    "Where each coldstart round's databases live, as 'valerix up --db': h2, or postgres (a private cluster"
                            + " per round) (default: ${DEFAULT-VALUE}).")
    String coldStartDb = "h2";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        validate();
        EndToEndBench.Plan plan;
        try {
            plan = new EndToEndBench.Plan(
                    full,
                    out,
                    parts,
                    users,
                    seconds != null ? seconds : Duration.ofSeconds(full ? 30 : 10),
                    warmup != null ? warmup : Duration.ofSeconds(full ? 10 : 5),
                    gremlinUsers,
                    gremlinSeconds != null ? gremlinSeconds : Duration.ofSeconds(full ? 60 : 20),
                    GremlinSpec.parse(gremlin),
                    timeout,
                    inFlight,
                    maxHeap,
                    new EndToEndBench.ColdStart(
                            coldStartRounds,
                            coldStartOrders,
                            coldStartTimeout,
                            coldStartWarmupOrders,
                            coldStartLaterAfter,
                            coldStartDb,
                            UpTiedToParent.class));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        EndToEndBench.run(plan, spec.commandLine().getOut());
        return ExitCodes.SUCCESS;
    }

    private void validate() {
        for (String part : parts) {
            if (!EndToEndBench.PARTS.contains(part)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--parts: unknown part '" + part + "'; the parts are "
                                + String.join(", ", EndToEndBench.PARTS));
            }
        }
        if (coldStartRounds < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--coldstart-rounds must be at least 1, but was " + coldStartRounds);
        }
        if (coldStartOrders < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--coldstart-orders must be at least 1, but was " + coldStartOrders);
        }
        if (coldStartTimeout.isNegative() || coldStartTimeout.toMillis() < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--coldstart-timeout must be at least 1ms, but was " + coldStartTimeout);
        }
        if (coldStartLaterAfter.isNegative()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--coldstart-later-after must not be negative, but was " + coldStartLaterAfter);
        }
        if (coldStartWarmupOrders < 0) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--coldstart-warmup-orders must not be negative, but was " + coldStartWarmupOrders);
        }
    }
}
