package io.valerix.harness.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.health.HealthConfig;
import io.valerix.core.health.RequestKey;
import io.valerix.core.health.WindowSnapshot;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.harness.ServicePair;
import io.valerix.harness.cli.DurationConverter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
public final class BenchCommand implements Callable<Integer> {

  @Option(names = "--full", description = "Longer runs (the full profile); the default is the quick one.")
  boolean full;

  @Option(names = "--out", paramLabel = "DIR", description = "Where e2e.json and the child JVM's log go (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("target", "bench");

  @Option(names = "--parts", split = ",", paramLabel = "PART",
      description = "Which parts to run: throughput, gremlin, memory, coldstart (default: throughput,gremlin,memory; "
          + "coldstart starts a JVM per round and takes 2-3 minutes, so it runs only when named, as bin/bench does).")
  List<String> parts = List.of("throughput", "gremlin", "memory");

  @Option(names = "--users", paramLabel = "N", description = "Concurrent users of the throughput part (default: 16).")
  int users = 16;

  @Option(names = "--seconds", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Measured time of each throughput target (default: 10s quick, 30s full).")
  Duration seconds;

  @Option(names = "--warmup", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Warm-up before each measured window (default: 5s quick, 10s full).")
  Duration warmup;

  @Option(names = "--gremlin-users", paramLabel = "N", description = "Concurrent users on each side of the gremlin part (default: 200).")
  int gremlinUsers = 200;

  @Option(names = "--gremlin-seconds", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Measured time of the gremlin part (default: 20s quick, 60s full).")
  Duration gremlinSeconds;

  @Option(names = "--gremlin", paramLabel = "SPEC", description = "The inventory's gremlin in the gremlin and coldstart parts (default: ${DEFAULT-VALUE}).")
  String gremlin = "uniform(0ms,5s) after";

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "The order service's timeout in the gremlin part (default: 2s).")
  Duration timeout = Duration.ofSeconds(2);

  @Option(names = "--in-flight", paramLabel = "N", description = "Orders in flight at once in the memory part (default: ${DEFAULT-VALUE}).")
  int inFlight = 10_000;

  @Option(names = "--max-heap", paramLabel = "SIZE", description = "The memory part's child JVM -Xmx (default: ${DEFAULT-VALUE}).")
  String maxHeap = "512m";

  @Option(names = "--coldstart-rounds", paramLabel = "N",
      description = "Rounds of the coldstart part, each with a freshly started 'valerix up' in a new JVM (default: ${DEFAULT-VALUE}).")
  int coldStartRounds = 5;

  @Option(names = "--coldstart-orders", paramLabel = "N",
      description = "Concurrent orders fired in each coldstart round the moment the services are announced (default: ${DEFAULT-VALUE}).")
  int coldStartOrders = 60;

  @Option(names = "--coldstart-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "The order service's timeout in the coldstart part (default: 1s); its gremlin is --gremlin's.")
  Duration coldStartTimeout = Duration.ofSeconds(1);

  @Option(names = "--coldstart-warmup-orders", paramLabel = "N",
      description = "--warmup-orders of each 'valerix up' in the coldstart part; 0 measures a start without warm-up orders"
          + " (default: up's, ${DEFAULT-VALUE}).")
  int coldStartWarmupOrders = io.valerix.harness.Warmup.DEFAULT_ORDERS;

  @Option(names = "--coldstart-later-after", paramLabel = "DURATION", converter = DurationConverter.class,
      description = {"In each coldstart round, how long after the first burst's last answer the same services get a second burst"
          + " (the warm control, beside the cold figure); 0 skips it.",
          "The default, 11s, outlasts the order service's 10 s latency window, so its own figures then hold the second burst alone."})
  Duration coldStartLaterAfter = Duration.ofSeconds(11);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter console = spec.commandLine().getOut();
    validate();
    Files.createDirectories(out);
    Duration measured = seconds != null ? seconds : Duration.ofSeconds(full ? 30 : 10);
    Duration warm = warmup != null ? warmup : Duration.ofSeconds(full ? 10 : 5);
    Duration gremlinMeasured = gremlinSeconds != null ? gremlinSeconds : Duration.ofSeconds(full ? 60 : 20);
    GremlinSpec gremlinSpec = GremlinSpec.parse(gremlin);

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("profile", full ? "full" : "quick");
    result.put("startedAt", Instant.now().toString());
    result.put("jdk", Runtime.version().toString());
    result.put("cores", Runtime.getRuntime().availableProcessors());
    if (parts.contains("throughput")) {
      console.printf("throughput: %d users, %d s warm-up + %d s measured, echo chain then full path...%n",
          users, warm.toSeconds(), measured.toSeconds());
      console.flush();
      result.put("throughput", throughput(measured, warm));
      print(console, result.get("throughput"));
    }
    if (parts.contains("gremlin")) {
      console.printf("gremlin: '%s', timeout %d ms, %d users on each side, %d s measured...%n",
          gremlinSpec.toText(), timeout.toMillis(), gremlinUsers, gremlinMeasured.toSeconds());
      console.flush();
      result.put("gremlin", underGremlin(gremlinSpec, gremlinMeasured));
      print(console, result.get("gremlin"));
    }
    if (parts.contains("memory")) {
      console.printf("memory: %d orders in flight at once, child JVM -Xmx%s...%n", inFlight, maxHeap);
      console.flush();
      result.put("memory", memory());
      print(console, result.get("memory"));
    }
    if (parts.contains("coldstart")) {
      console.printf("coldstart: %d rounds, each a fresh 'valerix up' (gremlin '%s', timeout %d ms, %d warm-up orders), "
              + "%d orders at once the moment it is announced...%n",
          coldStartRounds, gremlinSpec.toText(), coldStartTimeout.toMillis(), coldStartWarmupOrders, coldStartOrders);
      if (!coldStartLaterAfter.isZero()) {
        console.printf("coldstart: and %d more, %d ms after each burst's last answer, at the same services (the warm control)...%n",
            coldStartOrders, coldStartLaterAfter.toMillis());
      }
      console.flush();
      result.put("coldstart", coldStart(gremlinSpec));
      print(console, result.get("coldstart"));
    }
    result.put("finishedAt", Instant.now().toString());
    Path file = out.resolve("e2e.json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), result);
    console.printf("wrote %s%n", file);
    console.flush();
    return 0;
  }

  private void validate() {
    List<String> known = List.of("throughput", "gremlin", "memory", "coldstart");
    for (String part : parts) {
      if (!known.contains(part)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--parts: unknown part '" + part + "'; the parts are " + String.join(", ", known));
      }
    }
    if (coldStartRounds < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--coldstart-rounds must be at least 1, but was " + coldStartRounds);
    }
    if (coldStartOrders < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--coldstart-orders must be at least 1, but was " + coldStartOrders);
    }
    if (coldStartTimeout.isNegative() || coldStartTimeout.toMillis() < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--coldstart-timeout must be at least 1ms, but was " + coldStartTimeout);
    }
    if (coldStartLaterAfter.isNegative()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--coldstart-later-after must not be negative, but was " + coldStartLaterAfter);
    }
    if (coldStartWarmupOrders < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--coldstart-warmup-orders must not be negative, but was " + coldStartWarmupOrders);
    }
  }

  private Map<String, Object> throughput(Duration measured, Duration warm) throws Exception {
    ClosedLoopLoad load = new ClosedLoopLoad(users);
    try {
      ClosedLoopLoad.Outcome echo;
      try (EchoChain chain = EchoChain.start()) {
        echo = load.run(List.of(new ClosedLoopLoad.Target("echo-chain", chain.ordersUri().toString(), users, 1)), warm, measured).get(0);
      }
      ClosedLoopLoad.Outcome orders;
      Path dataDir = Files.createTempDirectory(out.toAbsolutePath(), "throughput-data");
      try (ServicePair pair = ServicePair.start(settings(GremlinSpec.none(), Duration.ofSeconds(2), dataDir), server -> {})) {
        orders = load.run(List.of(new ClosedLoopLoad.Target("order-path", pair.orderUri().resolve("/orders").toString(), users, 2)),
            warm, measured).get(0);
      } finally {
        deleteQuietly(dataDir);
      }
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("users", users);
      figures.put("warmupSeconds", warm.toSeconds());
      figures.put("echoChain", echo);
      figures.put("orderPath", orders);
      figures.put("ratio", echo.perSecond() == 0 ? 0 : Math.round(orders.perSecond() / echo.perSecond() * 1000) / 1000.0);
      figures.put("goalRatio", 0.6);
      return figures;
    } finally {
      load.close();
    }
  }

  private Map<String, Object> underGremlin(GremlinSpec gremlinSpec, Duration measured) throws Exception {
    ClosedLoopLoad load = new ClosedLoopLoad(gremlinUsers * 2);
    Path dataDir = Files.createTempDirectory(out.toAbsolutePath(), "gremlin-data");
    try (ServicePair pair = ServicePair.start(settings(gremlinSpec, timeout, dataDir), server -> {});
        NaiveOrderFront naive = NaiveOrderFront.start(pair.inventoryUri(), pair.settings().serviceToken())) {
      Map<String, Object> inside = new LinkedHashMap<>();
      List<ClosedLoopLoad.Outcome> outcomes = load.run(List.of(
              new ClosedLoopLoad.Target("valerix", pair.orderUri().resolve("/orders").toString(), gremlinUsers, 3),
              new ClosedLoopLoad.Target("naive", naive.ordersUri().toString(), gremlinUsers, 4)),
          Duration.ofSeconds(2), measured, () -> {
            // Where the time goes, as the order service itself measured it over its last window:
            // what it took to answer, and what its calls to inventory took.
            inside.put("windowSeconds", HealthConfig.defaults().window().toSeconds());
            inside.put("server", window(pair.orderMonitor().server().window()));
            pair.orderMonitor().snapshotsByKey().forEach((key, window) -> {
              if (key.direction() == RequestKey.Direction.CLIENT && key.method().equals("PUT")) {
                inside.put("inventoryPut-" + key.outcome().label(), window(window));
              }
            });
          });
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("spec", gremlinSpec.toText());
      figures.put("timeoutMillis", timeout.toMillis());
      figures.put("usersEachSide", gremlinUsers);
      figures.put("valerix", outcomes.get(0));
      figures.put("naive", outcomes.get(1));
      figures.put("goalP99Millis", timeout.toMillis() + 25);
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
    Path dataDir = Files.createTempDirectory(out.toAbsolutePath(), "memory-data");
    try {
      return InFlightMemoryRun.run(dataDir, out.resolve("memory-child.log"), inFlight, maxHeap,
          Duration.ofSeconds(3), InFlightMemoryProbe.WAIT.minusSeconds(30));
    } finally {
      deleteQuietly(dataDir);
    }
  }

  private ColdStartRun.Outcome coldStart(GremlinSpec gremlinSpec) throws Exception {
    return ColdStartRun.run(new ColdStartRun.Plan(coldStartRounds, coldStartOrders, coldStartTimeout, gremlinSpec.toText(),
        coldStartWarmupOrders, coldStartLaterAfter, out.toAbsolutePath(), out.resolve("coldstart-child.log").toAbsolutePath()));
  }

  private static ServicePair.Settings settings(GremlinSpec gremlinSpec, Duration timeout, Path dataDir) {
    return new ServicePair.Settings(0, 0, gremlinSpec, 1, timeout, Map.of("widget", 1_000_000_000),
        BearerTokenFilter.randomToken(), dataDir, HealthConfig.defaults());
  }

  private static void print(PrintWriter console, Object figures) throws Exception {
    console.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(figures));
    console.flush();
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (java.io.IOException e) {
      // A leftover temporary directory under the output directory is harmless.
    }
  }

}
