package io.valerix.harness.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.health.HealthConfig;
import io.valerix.core.health.RequestKey;
import io.valerix.core.health.WindowSnapshot;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.harness.services.ServicePair;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The end-to-end figures of {@code valerix bench}, each measured on real servers on loopback and
 * written to {@code e2e.json} for the benchmark report ({@code bin/bench}). The parts are named in
 * {@link #PARTS}; what each measures is described on {@code valerix bench --help}. Not thread-safe:
 * one run at a time.
 */
public final class EndToEndBench {

    /** The parts a plan may name, in the order they run. */
    public static final List<String> PARTS = List.of("throughput", "gremlin", "memory", "coldstart");

    /**
     * What to measure and how long.
     *
     * @param full the longer profile; only labels the file, the durations below are already chosen
     * @param out where {@code e2e.json} and the child JVMs' logs go
     * @param parts which of {@link #PARTS} to run
     * @param users concurrent users of the throughput part
     * @param measured measured time of each throughput target
     * @param warmup warm-up before each measured window
     * @param gremlinUsers concurrent users on each side of the gremlin part
     * @param gremlinMeasured measured time of the gremlin part
     * @param gremlin the inventory's gremlin in the gremlin and coldstart parts
     * @param timeout the order service's timeout in the gremlin part
     * @param inFlight orders in flight at once in the memory part
     * @param maxHeap the memory part's child JVM {@code -Xmx}
     * @param coldStart the coldstart part's rounds, orders and timeouts (its output paths are set here)
     */
    public record Plan(
            boolean full,
            Path out,
            List<String> parts,
            int users,
            Duration measured,
            Duration warmup,
            int gremlinUsers,
            Duration gremlinMeasured,
            GremlinSpec gremlin,
            Duration timeout,
            int inFlight,
            String maxHeap,
            ColdStart coldStart) {

        public Plan {
            Objects.requireNonNull(out, "out");
            Objects.requireNonNull(measured, "measured");
            Objects.requireNonNull(warmup, "warmup");
            Objects.requireNonNull(gremlinMeasured, "gremlinMeasured");
            Objects.requireNonNull(gremlin, "gremlin");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(maxHeap, "maxHeap");
            Objects.requireNonNull(coldStart, "coldStart");
            parts = List.copyOf(parts);
            for (String part : parts) {
                if (!PARTS.contains(part)) {
                    throw new IllegalArgumentException(
                            "unknown part '" + part + "'; the parts are " + String.join(", ", PARTS));
                }
            }
        }
    }

    /**
     * The coldstart part: rounds of a freshly started {@code valerix up}, each hit by a burst.
     *
     * @param rounds rounds, each a new JVM
     * @param orders concurrent orders fired the moment the services are announced
     * @param timeout the order service's timeout
     * @param warmupOrders {@code --warmup-orders} of each {@code valerix up}
     * @param laterAfter how long after the first burst's last answer a second, warm burst follows; 0 skips it
     * @param upMain the child JVM's main class: {@code valerix up} taking up's arguments, which halts
     *     when its standard input ends, so a bench that dies leaves no services behind
     */
    public record ColdStart(
            int rounds,
            int orders,
            Duration timeout,
            int warmupOrders,
            Duration laterAfter,
            String db,
            Class<?> upMain) {

        public ColdStart {
            Objects.requireNonNull(timeout, "timeout");
            if (!"h2".equals(db) && !"postgres".equals(db)) {
                throw new IllegalArgumentException(
                        "the coldstart database must be 'h2' or 'postgres', but was '" + db + "'");
            }
            Objects.requireNonNull(laterAfter, "laterAfter");
            Objects.requireNonNull(upMain, "upMain");
        }
    }

    private final Plan plan;

    private EndToEndBench(Plan plan) {
        this.plan = plan;
    }

    /**
     * Runs the plan's parts one after the other, printing each part's figures to {@code console}.
     *
     * @return the {@code e2e.json} written
     * @throws Exception a part that could not run
     */
    public static Path run(Plan plan, PrintWriter console) throws Exception {
        return new EndToEndBench(plan).run(console);
    }

    private Path run(PrintWriter console) throws Exception {
        Files.createDirectories(plan.out());
        Duration measured = plan.measured();
        Duration warm = plan.warmup();
        Duration gremlinMeasured = plan.gremlinMeasured();
        GremlinSpec gremlinSpec = plan.gremlin();
        ColdStart cold = plan.coldStart();

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("profile", plan.full() ? "full" : "quick");
        result.put("startedAt", Instant.now().toString());
        result.put("jdk", Runtime.version().toString());
        result.put("cores", Runtime.getRuntime().availableProcessors());
        if (plan.parts().contains("throughput")) {
            console.printf(
                    "throughput: %d users, %d s warm-up + %d s measured, echo chain then full path...%n",
                    plan.users(), warm.toSeconds(), measured.toSeconds());
            console.flush();
            result.put("throughput", throughput(measured, warm));
            print(console, result.get("throughput"));
        }
        if (plan.parts().contains("gremlin")) {
            console.printf(
                    "gremlin: '%s', timeout %d ms, %d users on each side, one side after the other, %d s measured each...%n",
                    gremlinSpec.toText(), plan.timeout().toMillis(), plan.gremlinUsers(), gremlinMeasured.toSeconds());
            console.flush();
            result.put("gremlin", underGremlin(gremlinSpec, gremlinMeasured));
            print(console, result.get("gremlin"));
        }
        if (plan.parts().contains("memory")) {
            console.printf(
                    "memory: %d orders in flight at once, child JVM -Xmx%s...%n", plan.inFlight(), plan.maxHeap());
            console.flush();
            result.put("memory", memory());
            print(console, result.get("memory"));
        }
        if (plan.parts().contains("coldstart")) {
            console.printf(
                    "coldstart: %d rounds, each a fresh 'valerix up --db %s' (gremlin '%s', timeout %d ms, %d warm-up orders), "
                            + "%d orders at once the moment it is announced...%n",
                    cold.rounds(),
                    cold.db(),
                    gremlinSpec.toText(),
                    cold.timeout().toMillis(),
                    cold.warmupOrders(),
                    cold.orders());
            if (!cold.laterAfter().isZero()) {
                console.printf(
                        "coldstart: and %d more, %d ms after each burst's last answer, at the same services (the warm control)...%n",
                        cold.orders(), cold.laterAfter().toMillis());
            }
            console.flush();
            result.put("coldstart", coldStart(gremlinSpec));
            print(console, result.get("coldstart"));
        }
        result.put("finishedAt", Instant.now().toString());
        Path file = plan.out().resolve("e2e.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), result);
        console.printf("wrote %s%n", file);
        console.flush();
        return file;
    }

    private Map<String, Object> throughput(Duration measured, Duration warm) throws Exception {
        ClosedLoopLoad load = new ClosedLoopLoad(plan.users());
        try {
            ClosedLoopLoad.Outcome echo;
            try (EchoChain chain = EchoChain.start()) {
                echo = load.run(
                                List.of(new ClosedLoopLoad.Target(
                                        "echo-chain", chain.ordersUri().toString(), plan.users(), 1)),
                                warm,
                                measured)
                        .get(0);
            }
            ClosedLoopLoad.Outcome orders;
            Path dataDir = Files.createTempDirectory(plan.out().toAbsolutePath(), "throughput-data");
            try (ServicePair pair =
                    ServicePair.start(settings(GremlinSpec.none(), Duration.ofSeconds(2), dataDir), server -> {})) {
                orders = load.run(
                                List.of(new ClosedLoopLoad.Target(
                                        "order-path",
                                        pair.orderUri().resolve("/orders").toString(),
                                        plan.users(),
                                        2)),
                                warm,
                                measured)
                        .get(0);
            } finally {
                deleteQuietly(dataDir);
            }
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("users", plan.users());
            figures.put("warmupSeconds", warm.toSeconds());
            figures.put("echoChain", echo);
            figures.put("orderPath", orders);
            figures.put(
                    "ratio",
                    echo.perSecond() == 0 ? 0 : Math.round(orders.perSecond() / echo.perSecond() * 1000) / 1000.0);
            figures.put("goalRatio", 0.6);
            return figures;
        } finally {
            load.close();
        }
    }

    /**
     * Not counted in the gremlin part. Every user starts at the same instant, so the first rounds
     * are a connection storm in lockstep while the load generator's own code is still compiling;
     * it takes a few of the gremlin's 0-5 s rounds to spread out. The steady state is what this
     * part measures; the first second after a start is the coldstart part's own figure.
     */
    private static final Duration GREMLIN_WARMUP = Duration.ofSeconds(10);

    private Map<String, Object> underGremlin(GremlinSpec gremlinSpec, Duration measured) throws Exception {
        ClosedLoopLoad load = new ClosedLoopLoad(plan.gremlinUsers() * 2);
        Path dataDir = Files.createTempDirectory(plan.out().toAbsolutePath(), "gremlin-data");
        try (ServicePair pair = ServicePair.start(settings(gremlinSpec, plan.timeout(), dataDir), server -> {});
                NaiveOrderFront naive = NaiveOrderFront.start(
                        pair.inventoryUri(), pair.settings().serviceToken())) {
            // The two sides run one after the other, each with its own warm-up, so each is measured under
            // its own users only: together they would put twice the load on the shared machine and
            // inventory, and the Valerix figure would carry the naive front's CPU.
            Map<String, Object> inside = new LinkedHashMap<>();
            ClosedLoopLoad.Outcome valerix = load.run(
                            List.of(new ClosedLoopLoad.Target(
                                    "valerix",
                                    pair.orderUri().resolve("/orders").toString(),
                                    plan.gremlinUsers(),
                                    3)),
                            GREMLIN_WARMUP,
                            measured,
                            () -> {
                                // Where the time goes, as the order service itself measured it over its last
                                // window: what it took to answer, and what its calls to inventory took.
                                inside.put(
                                        "windowSeconds",
                                        HealthConfig.defaults().window().toSeconds());
                                inside.put(
                                        "server",
                                        window(pair.orderMonitor().server().window()));
                                pair.orderMonitor().snapshotsByKey().forEach((key, window) -> {
                                    if (key.direction() == RequestKey.Direction.CLIENT
                                            && key.method().equals("PUT")) {
                                        inside.put(
                                                "inventoryPut-" + key.outcome().label(), window(window));
                                    }
                                });
                            })
                    .get(0);
            ClosedLoopLoad.Outcome naiveSide = load.run(
                            List.of(new ClosedLoopLoad.Target(
                                    "naive", naive.ordersUri().toString(), plan.gremlinUsers(), 4)),
                            GREMLIN_WARMUP,
                            measured)
                    .get(0);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("spec", gremlinSpec.toText());
            figures.put("timeoutMillis", plan.timeout().toMillis());
            figures.put("usersEachSide", plan.gremlinUsers());
            figures.put("warmupSeconds", GREMLIN_WARMUP.toSeconds());
            figures.put("valerix", valerix);
            figures.put("naive", naiveSide);
            figures.put("goalP99Millis", plan.timeout().toMillis() + 25);
            figures.put("orderServiceOwnWindow", inside);
            return figures;
        } finally {
            load.close();
            deleteQuietly(dataDir);
        }
    }

    private static Map<String, Object> window(WindowSnapshot window) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("count", window.count());
        figures.put("p50Millis", window.p50().toNanos() / 1e6);
        figures.put("p99Millis", window.p99().toNanos() / 1e6);
        figures.put("maxMillis", window.max().toNanos() / 1e6);
        return figures;
    }

    private InFlightMemoryRun.Outcome memory() throws Exception {
        Path dataDir = Files.createTempDirectory(plan.out().toAbsolutePath(), "memory-data");
        try {
            return InFlightMemoryRun.run(
                    dataDir,
                    plan.out().resolve("memory-child.log"),
                    plan.inFlight(),
                    plan.maxHeap(),
                    Duration.ofSeconds(3),
                    InFlightMemoryProbe.WAIT.minusSeconds(30));
        } finally {
            deleteQuietly(dataDir);
        }
    }

    private ColdStartRun.Outcome coldStart(GremlinSpec gremlinSpec) throws Exception {
        ColdStart cold = plan.coldStart();
        return ColdStartRun.run(new ColdStartRun.Plan(
                cold.rounds(),
                cold.orders(),
                cold.timeout(),
                gremlinSpec.toText(),
                cold.warmupOrders(),
                cold.laterAfter(),
                cold.db(),
                plan.out().toAbsolutePath(),
                plan.out().resolve("coldstart-child.log").toAbsolutePath(),
                cold.upMain()));
    }

    private static ServicePair.Settings settings(GremlinSpec gremlinSpec, Duration timeout, Path dataDir) {
        return new ServicePair.Settings(
                0,
                0,
                gremlinSpec,
                1,
                timeout,
                Map.of("widget", 1_000_000_000),
                BearerTokenFilter.randomToken(),
                dataDir,
                HealthConfig.defaults());
    }

    private static void print(PrintWriter console, Object figures) throws Exception {
        console.println(
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(figures));
        console.flush();
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory under the output directory is harmless.
        }
    }
}
