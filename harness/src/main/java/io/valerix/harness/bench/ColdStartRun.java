package io.valerix.harness.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.core.http.BearerTokenFilter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.HdrHistogram.Histogram;

/**
 * The cold-start figure: each round starts a fresh child JVM running {@code valerix up} (through
 * {@link UpTiedToParent}) on free ports and a fresh data directory, and the moment it announces
 * the order service, fires a burst of concurrent {@code POST /orders} (virtual threads released
 * together by a latch, a fresh Idempotency-Key each). It records each reply's status and latency
 * as the client saw it, then the order service's own latency window from its {@code /health}, and
 * kills the child.
 *
 * <p>The client is warmed on a local echo chain first, so what is measured is a cold server, not
 * a cold client. Its connections are new in every round, as a new user's would be.
 */
final class ColdStartRun {

  private static final MediaType JSON = MediaType.get("application/json");
  private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(120);
  /** The first line {@code valerix up} prints once warm; the service addresses follow it. */
  private static final String ANNOUNCEMENT = "Valerix is up.";
  private static final Pattern ORDER_LINE = Pattern.compile("^\\s*order service\\s+(https?://\\S+)");
  private static final Pattern WARM_LINE = Pattern.compile("^\\s*warm\\s+(.*)$");
  /** Bounds a child's start, warm-up included, on a machine busy with other builds. */
  private static final Duration START_LIMIT = Duration.ofMinutes(3);
  private static final String END_OF_OUTPUT = "\u0000EOF";

  /** What to run. */
  record Plan(int rounds, int orders, Duration timeout, String gremlin, int warmupOrders, Path workDir, Path childLog) {}

  /**
   * One round.
   *
   * @param startMillis from launching the child JVM to its announcement (warm-up included)
   * @param warm what the child said its warm-up did
   * @param lastSentAfterAnnouncementMillis when the last order of the burst left, after the announcement was read
   * @param server the order service's own latency monitor after the burst, from its {@code /health}
   *     (server: its answers to POST /orders; inventory: its calls to inventory)
   */
  record Round(
      int round,
      long startMillis,
      String warm,
      long answered,
      Map<String, Long> statuses,
      double lastSentAfterAnnouncementMillis,
      double p50Millis,
      double p99Millis,
      double maxMillis,
      Map<String, Object> server,
      String error) {}

  /** Every round together; {@code error} is null when every round ran. */
  record Outcome(
      int rounds,
      int ordersPerRound,
      String spec,
      long timeoutMillis,
      int warmupOrders,
      long sent,
      long answered,
      Map<String, Long> statuses,
      double p50Millis,
      double p99Millis,
      double maxMillis,
      long goalP99Millis,
      long goalMaxMillis,
      boolean goalMet,
      List<Round> perRound,
      String error) {}

  private ColdStartRun() {}

  static Outcome run(Plan plan) throws IOException, InterruptedException {
    OkHttpClient base = new OkHttpClient.Builder()
        .callTimeout(Duration.ofSeconds(30))
        .readTimeout(Duration.ZERO)
        .retryOnConnectionFailure(false)
        .build();
    Histogram all = new Histogram(1, HIGHEST_MICROS, 3);
    Map<String, Long> statuses = new TreeMap<>();
    List<Round> rounds = new ArrayList<>();
    String error = null;
    try {
      warmClient(base, plan.orders());
      for (int r = 1; r <= plan.rounds(); r++) {
        Histogram latencies = new Histogram(1, HIGHEST_MICROS, 3);
        Round round = round(plan, r, base, latencies);
        rounds.add(round);
        all.add(latencies);
        round.statuses().forEach((status, count) -> statuses.merge(status, count, Long::sum));
        if (round.error() != null) {
          error = "round " + r + ": " + round.error();
          break;
        }
      }
    } finally {
      base.dispatcher().executorService().shutdown();
      base.connectionPool().evictAll();
    }
    long sent = (long) rounds.size() * plan.orders();
    long answered = rounds.stream().mapToLong(Round::answered).sum();
    long goalP99 = plan.timeout().toMillis() + 25;
    long goalMax = plan.timeout().toMillis() + 50;
    double p99 = millis(all.getValueAtPercentile(99));
    double max = millis(all.getMaxValue());
    boolean met = error == null && answered == sent && sent > 0 && p99 <= goalP99 && max <= goalMax;
    return new Outcome(plan.rounds(), plan.orders(), plan.gremlin(), plan.timeout().toMillis(), plan.warmupOrders(), sent, answered,
        statuses, millis(all.getValueAtPercentile(50)), p99, max, goalP99, goalMax, met, rounds, error);
  }

  /** Loads OkHttp's and the JDK's client code in this JVM, so round 1 does not measure them. */
  private static void warmClient(OkHttpClient base, int concurrency) throws InterruptedException {
    OkHttpClient client = base.newBuilder().connectionPool(new ConnectionPool(concurrency, 10, TimeUnit.SECONDS)).build();
    try (EchoChain chain = EchoChain.start()) {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < Math.max(1, Math.min(concurrency, 16)); t++) {
        int thread = t;
        threads.add(Thread.ofVirtual().start(() -> {
          for (int i = 0; i < 50; i++) {
            send(client, chain.ordersUri().toString(), "client-warmup-" + thread + "-" + i);
          }
        }));
      }
      for (Thread thread : threads) {
        thread.join(Duration.ofSeconds(60));
      }
    } finally {
      client.connectionPool().evictAll();
    }
  }

  private static Round round(Plan plan, int number, OkHttpClient base, Histogram latencies) throws IOException, InterruptedException {
    Path dataDir = Files.createTempDirectory(plan.workDir(), "coldstart-data");
    String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(javaCommand, "-cp", System.getProperty("java.class.path"), UpTiedToParent.class.getName(),
        "--order-port", "0", "--inventory-port", "0", "--data-dir", dataDir.toString(),
        "--gremlin", plan.gremlin(), "--timeout", plan.timeout().toMillis() + "ms",
        "--warmup-orders", Integer.toString(plan.warmupOrders()),
        "--stock", "widget=" + Math.max(1_000, plan.orders() * 2))
        .redirectError(ProcessBuilder.Redirect.appendTo(plan.childLog().toFile()));
    // Tokens from the environment, so they are not on a command line; random, and never needed here.
    builder.environment().put("VALERIX_ADMIN_TOKEN", BearerTokenFilter.randomToken());
    builder.environment().put("VALERIX_SERVICE_TOKEN", BearerTokenFilter.randomToken());
    OkHttpClient client = base.newBuilder().connectionPool(new ConnectionPool(plan.orders() + 4, 10, TimeUnit.SECONDS)).build();
    Files.writeString(plan.childLog(), "=== cold start round " + number + ": " + String.join(" ", builder.command().subList(3, builder.command().size())) + "\n",
        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    long launched = System.nanoTime();
    Process child = builder.start();
    try {
      BlockingQueue<String> lines = readLines(child);
      // The burst is ready before the child is: every order built, every thread parked on the latch.
      CountDownLatch ready = new CountDownLatch(plan.orders());
      CountDownLatch go = new CountDownLatch(1);
      long[] sentAt = new long[plan.orders()];
      long[] latencyMicros = new long[plan.orders()];
      String[] status = new String[plan.orders()];
      String[] orderUrl = new String[1];
      List<Thread> senders = new ArrayList<>();
      for (int i = 0; i < plan.orders(); i++) {
        int index = i;
        String key = "coldstart-" + number + "-" + i + "-" + launched;
        senders.add(Thread.ofVirtual().name("coldstart-" + i).start(() -> {
          ready.countDown();
          try {
            go.await();
          } catch (InterruptedException e) {
            status[index] = "not-sent";
            return;
          }
          if (orderUrl[0] == null) {
            status[index] = "not-sent";
            return;
          }
          long start = System.nanoTime();
          sentAt[index] = start;
          status[index] = send(client, orderUrl[0], key);
          latencyMicros[index] = (System.nanoTime() - start) / 1_000;
        }));
      }
      ready.await();

      Optional<URI> order = awaitAnnouncement(lines, child);
      long announced = System.nanoTime();
      order.ifPresent(uri -> orderUrl[0] = uri.resolve("/orders").toString());
      go.countDown();
      for (Thread sender : senders) {
        sender.join(Duration.ofSeconds(60));
      }
      long startMillis = (announced - launched) / 1_000_000;
      if (order.isEmpty()) {
        return new Round(number, startMillis, null, 0, Map.of(), 0, 0, 0, 0, Map.of(),
            "the child JVM gave no order service address (" + (child.isAlive() ? "still running" : "exit " + child.exitValue())
                + "; see " + plan.childLog() + ")");
      }
      Map<String, Long> counts = new TreeMap<>();
      Histogram round = new Histogram(1, HIGHEST_MICROS, 3);
      long lastSent = announced;
      for (int i = 0; i < plan.orders(); i++) {
        String s = status[i] == null ? "no-answer" : status[i];
        counts.merge(s, 1L, Long::sum);
        if (sentAt[i] != 0) {
          lastSent = Math.max(lastSent, sentAt[i]);
          round.recordValue(Math.min(HIGHEST_MICROS, Math.max(1, latencyMicros[i])));
        }
      }
      latencies.add(round);
      long answered = counts.entrySet().stream().filter(e -> e.getKey().matches("[0-9]{3}")).mapToLong(Map.Entry::getValue).sum();
      Map<String, Object> server = ownWindow(client, order.get());
      String warm = drainWarmLine(lines);
      return new Round(number, startMillis, warm, answered, counts, Math.round((lastSent - announced) / 10_000.0) / 100.0,
          millis(round.getValueAtPercentile(50)), millis(round.getValueAtPercentile(99)), millis(round.getMaxValue()), server, null);
    } finally {
      // Its data is thrown away, so nothing is gained by a graceful stop.
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
      deleteQuietly(dataDir);
    }
  }

  /** The child's stdout, line by line; {@link #END_OF_OUTPUT} once it ends. */
  private static BlockingQueue<String> readLines(Process child) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread.ofPlatform().daemon().name("coldstart-child-stdout").start(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // The pipe ends with the process.
      } finally {
        lines.add(END_OF_OUTPUT);
      }
    });
    return lines;
  }

  /**
   * The order service's address from the lines {@code valerix up} prints once warm: the line
   * {@code "  order service      http://127.0.0.1:PORT ..."} after {@value #ANNOUNCEMENT}. Empty
   * if the child ends or does not announce itself within {@link #START_LIMIT}.
   */
  static Optional<URI> awaitAnnouncement(BlockingQueue<String> lines, Process child) throws InterruptedException {
    long until = System.nanoTime() + START_LIMIT.toNanos();
    boolean announced = false;
    while (true) {
      String line = lines.poll(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null || line.equals(END_OF_OUTPUT)) {
        return Optional.empty();
      }
      if (line.strip().equals(ANNOUNCEMENT)) {
        announced = true;
      }
      Optional<URI> order = announced ? orderAddress(line) : Optional.empty();
      if (order.isPresent()) {
        return order;
      }
    }
  }

  /** The address on {@code valerix up}'s {@code order service} line, if this is that line. */
  static Optional<URI> orderAddress(String line) {
    Matcher m = ORDER_LINE.matcher(line);
    return m.find() ? Optional.of(URI.create(m.group(1))) : Optional.empty();
  }

  /** The {@code warm} line's text, printed with the announcement (so already read or on its way). */
  private static String drainWarmLine(BlockingQueue<String> lines) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      String line = lines.poll(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null || line.equals(END_OF_OUTPUT)) {
        return null;
      }
      Matcher m = WARM_LINE.matcher(line);
      if (m.find()) {
        return m.group(1).strip();
      }
    }
  }

  /** The order service's own figures over its window, which then holds the burst and nothing else (warm-up ran elsewhere). */
  private static Map<String, Object> ownWindow(OkHttpClient client, URI order) {
    Map<String, Object> figures = new LinkedHashMap<>();
    try (okhttp3.Response response = client.newCall(new Request.Builder().url(order.resolve("/health").toString()).build()).execute()) {
      JsonNode health = new ObjectMapper().readTree(response.body().bytes());
      figures.put("windowMillis", health.path("windowMs").asLong());
      figures.put("server", window(health));
      JsonNode inventory = health.path("dependencies").path("inventory");
      if (!inventory.isMissingNode()) {
        figures.put("inventory", window(inventory));
      }
    } catch (IOException e) {
      figures.put("error", e.toString());
    }
    return figures;
  }

  private static Map<String, Object> window(JsonNode w) {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("count", w.path("count").asLong());
    figures.put("p50Millis", w.path("p50Ms").asDouble());
    figures.put("p99Millis", w.path("p99Ms").asDouble());
    figures.put("maxMillis", w.path("maxMs").asDouble());
    return figures;
  }

  private static String send(OkHttpClient client, String url, String key) {
    Request request = new Request.Builder()
        .url(url)
        .header("Idempotency-Key", key)
        .post(RequestBody.create("{\"sku\":\"widget\",\"quantity\":1}".getBytes(StandardCharsets.UTF_8), JSON))
        .build();
    try (okhttp3.Response response = client.newCall(request).execute()) {
      response.body().bytes();
      return Integer.toString(response.code());
    } catch (IOException e) {
      return "transport-error";
    }
  }

  private static double millis(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory under the output directory is harmless.
    }
  }
}
