package io.valerix.harness.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.harness.fleet.ChildJvm;
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
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.EventListener;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.HdrHistogram.Histogram;

/**
 * The cold-start figure: each round starts a fresh child JVM running {@code valerix up} (through
 * {@link EndToEndBench.ColdStart#upMain()}) on free ports and a fresh data directory, and the moment it announces
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

    static final String END_OF_OUTPUT = "\u0000EOF";

    /**
     * What to run.
     *
     * @param laterBurstAfter how long after the cold burst's last answer the same child gets a second,
     *     later burst of as many orders on new connections (the control: the same instance, warm);
     *     zero skips it
     * @param db {@code valerix up --db}: h2, or postgres (a private cluster per round)
     */
    record Plan(
            int rounds,
            int orders,
            Duration timeout,
            String gremlin,
            int warmupOrders,
            Duration laterBurstAfter,
            String db,
            Path workDir,
            Path childLog,
            Class<?> upMain) {}

    /**
     * Where a burst's time went, as the client saw it, each phase's p50/p99/max in ms: {@code sending}
     * from the call's start to the request's last byte written (connecting included), {@code waiting}
     * from then to the reply's first byte, {@code reading} from then to the reply's last byte.
     */
    record Phases(Map<String, Double> sending, Map<String, Double> waiting, Map<String, Double> reading) {}

    /**
     * One burst of concurrent orders.
     *
     * @param lastSentAfterFiringMillis when the burst's last order left, after the latch was released
     * @param server the order service's own latency monitor right after the burst, from its {@code
     *     /health} (server: its answers; inventory: its calls to inventory)
     */
    record Burst(
            long answered,
            Map<String, Long> statuses,
            double lastSentAfterFiringMillis,
            double p50Millis,
            double p99Millis,
            double maxMillis,
            Phases phases,
            Map<String, Object> server) {}

    /**
     * One round: a fresh child JVM.
     *
     * @param startMillis from launching the child JVM to its announcement (warm-up included)
     * @param warm what the child said its warm-up did
     * @param cold the burst fired the moment the child announced itself
     * @param later the control burst {@link Plan#laterBurstAfter} later, or null
     */
    record Round(int round, long startMillis, String warm, Burst cold, Burst later, String error) {}

    /**
     * Every round together; {@code error} is null when every round ran. The top-level figures are the
     * cold bursts'; {@code later} sums the control bursts (null when skipped).
     */
    record Outcome(
            int rounds,
            int ordersPerRound,
            String db,
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
            Map<String, Object> later,
            List<Round> perRound,
            String error) {}

    private ColdStartRun() {}

    static Outcome run(Plan plan) throws IOException, InterruptedException {
        OkHttpClient base = new OkHttpClient.Builder()
                .callTimeout(Duration.ofSeconds(30))
                .readTimeout(Duration.ZERO)
                .retryOnConnectionFailure(false)
                .build();
        Totals cold = new Totals();
        Totals later = new Totals();
        List<Round> rounds = new ArrayList<>();
        String error = null;
        // This run's children only: a log that grows across runs mixes up whose warning is whose.
        Files.deleteIfExists(plan.childLog());
        try {
            warmClient(base, plan.orders());
            for (int r = 1; r <= plan.rounds(); r++) {
                Round round = round(plan, r, base, cold, later);
                rounds.add(round);
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
        long goalP99 = plan.timeout().toMillis() + 25;
        long goalMax = plan.timeout().toMillis() + 50;
        double p99 = millis(cold.latency.getValueAtPercentile(99));
        double max = millis(cold.latency.getMaxValue());
        boolean met = error == null && cold.answered == sent && sent > 0 && p99 <= goalP99 && max <= goalMax;
        Map<String, Object> laterFigures = null;
        if (!plan.laterBurstAfter().isZero()) {
            laterFigures = new LinkedHashMap<>();
            laterFigures.put("afterMillis", plan.laterBurstAfter().toMillis());
            laterFigures.put("sent", later.sent);
            laterFigures.put("answered", later.answered);
            laterFigures.put("statuses", later.statuses);
            laterFigures.put("p50Millis", millis(later.latency.getValueAtPercentile(50)));
            laterFigures.put("p99Millis", millis(later.latency.getValueAtPercentile(99)));
            laterFigures.put("maxMillis", millis(later.latency.getMaxValue()));
        }
        return new Outcome(
                plan.rounds(),
                plan.orders(),
                plan.db(),
                plan.gremlin(),
                plan.timeout().toMillis(),
                plan.warmupOrders(),
                sent,
                cold.answered,
                cold.statuses,
                millis(cold.latency.getValueAtPercentile(50)),
                p99,
                max,
                goalP99,
                goalMax,
                met,
                laterFigures,
                rounds,
                error);
    }

    /** Loads OkHttp's and the JDK's client code in this JVM, so round 1 does not measure them. */
    private static void warmClient(OkHttpClient base, int concurrency) throws InterruptedException {
        OkHttpClient client = base.newBuilder()
                .connectionPool(new ConnectionPool(concurrency, 10, TimeUnit.SECONDS))
                .build();
        try (EchoChain chain = EchoChain.start()) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < Math.max(1, Math.min(concurrency, 16)); t++) {
                int thread = t;
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 50; i++) {
                        Request request = order(chain.ordersUri().toString(), "client-warmup-" + thread + "-" + i, i);
                        try (okhttp3.Response response = client.newCall(request).execute()) {
                            response.body().bytes();
                        } catch (IOException e) {
                            // Only the code's loading matters here.
                        }
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

    private static Round round(Plan plan, int number, OkHttpClient base, Totals coldTotals, Totals laterTotals)
            throws IOException, InterruptedException {
        Path dataDir = Files.createTempDirectory(plan.workDir(), "coldstart-data");
        if (plan.db().equals("postgres")) {
            // A private cluster runs as its own system user when this runs as root: it must reach its
            // directory under this one (a temporary directory is the owner's alone).
            Files.setPosixFilePermissions(
                    dataDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        }
        ProcessBuilder builder = new ProcessBuilder(ChildJvm.command(
                        List.of(),
                        plan.upMain(),
                        List.of(
                                "--db",
                                plan.db(),
                                "--order-port",
                                "0",
                                "--inventory-port",
                                "0",
                                "--data-dir",
                                dataDir.toString(),
                                "--gremlin",
                                plan.gremlin(),
                                "--timeout",
                                plan.timeout().toMillis() + "ms",
                                "--warmup-orders",
                                Integer.toString(plan.warmupOrders()),
                                "--stock",
                                "widget=" + Math.max(1_000, plan.orders() * 4))))
                .redirectError(ProcessBuilder.Redirect.appendTo(plan.childLog().toFile()));
        // Tokens from the environment, so they are not on a command line; random, and never needed here.
        builder.environment().put("VALERIX_ADMIN_TOKEN", BearerTokenFilter.randomToken());
        builder.environment().put("VALERIX_SERVICE_TOKEN", BearerTokenFilter.randomToken());
        Files.writeString(
                plan.childLog(),
                "=== cold start round " + number + ": "
                        + String.join(
                                " ",
                                builder.command().subList(3, builder.command().size())) + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        long launched = System.nanoTime();
        Process child = builder.start();
        OrderBurst cold = new OrderBurst(base, plan.orders(), "coldstart-" + number + "-" + launched);
        OrderBurst later = null;
        try {
            BlockingQueue<String> lines = readLines(child);
            // The burst is ready before the child is: every order thread parked on the latch.
            cold.awaitReady();
            Optional<URI> order = awaitAnnouncement(lines);
            long startMillis = (System.nanoTime() - launched) / 1_000_000;
            if (order.isEmpty()) {
                cold.cancel();
                return new Round(
                        number,
                        startMillis,
                        null,
                        null,
                        null,
                        "the child JVM gave no order service address ("
                                + (child.isAlive() ? "still running" : "exit " + child.exitValue()) + "; see "
                                + plan.childLog() + ")");
            }
            cold.fire(order.get().resolve("/orders").toString());
            Burst coldFigures = cold.finish(order.get(), coldTotals);
            String warm = drainWarmLine(lines);
            Burst laterFigures = null;
            if (!plan.laterBurstAfter().isZero()) {
                later = new OrderBurst(base, plan.orders(), "coldstart-later-" + number + "-" + launched);
                later.awaitReady();
                Thread.sleep(plan.laterBurstAfter());
                if (!child.isAlive()) {
                    later.cancel();
                    return new Round(
                            number,
                            startMillis,
                            warm,
                            coldFigures,
                            null,
                            "the child JVM died before the later burst (see " + plan.childLog() + ")");
                }
                later.fire(order.get().resolve("/orders").toString());
                laterFigures = later.finish(order.get(), laterTotals);
            }
            return new Round(number, startMillis, warm, coldFigures, laterFigures, null);
        } finally {
            // Its data is thrown away, so nothing is gained by a graceful stop.
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            cold.close();
            if (later != null) {
                later.close();
            }
            deleteQuietly(dataDir);
        }
    }

    /** The cold or the later bursts of every round, together. */
    private static final class Totals {
        final Histogram latency = new Histogram(1, HIGHEST_MICROS, 3);
        final Map<String, Long> statuses = new TreeMap<>();
        long sent;
        long answered;
    }

    /**
     * A burst of {@code orders} POST /orders from as many virtual threads, each parked on one latch
     * until {@link #fire}, on connections of their own (a new pool), a new Idempotency-Key each.
     */
    private static final class OrderBurst {
        private final OkHttpClient client;
        private final int orders;
        private final CountDownLatch ready;
        private final CountDownLatch go = new CountDownLatch(1);
        private final List<Thread> threads = new ArrayList<>();
        private final long[] callStart;
        private final long[] sent;
        private final long[] firstByte;
        private final long[] done;
        private final String[] status;
        private volatile String url;
        private long firedAt;

        OrderBurst(OkHttpClient base, int orders, String keyPrefix) {
            this.orders = orders;
            ready = new CountDownLatch(orders);
            callStart = new long[orders];
            sent = new long[orders];
            firstByte = new long[orders];
            done = new long[orders];
            status = new String[orders];
            client = base.newBuilder()
                    .connectionPool(new ConnectionPool(orders + 4, 10, TimeUnit.SECONDS))
                    .eventListenerFactory(
                            call -> new PhaseListener(call.request().tag(Integer.class)))
                    .build();
            for (int i = 0; i < orders; i++) {
                int index = i;
                threads.add(Thread.ofVirtual()
                        .name("coldstart-order-" + i)
                        .start(() -> place(index, keyPrefix + "-" + index)));
            }
        }

        private void place(int index, String key) {
            ready.countDown();
            try {
                go.await();
            } catch (InterruptedException e) {
                status[index] = "not-sent";
                return;
            }
            String target = url;
            if (target == null) {
                status[index] = "not-sent";
                return;
            }
            Request request = order(target, key, index);
            callStart[index] = System.nanoTime();
            try (okhttp3.Response response = client.newCall(request).execute()) {
                response.body().bytes();
                status[index] = Integer.toString(response.code());
            } catch (IOException e) {
                status[index] = "transport-error";
            }
            done[index] = System.nanoTime();
        }

        void awaitReady() throws InterruptedException {
            ready.await();
        }

        void fire(String ordersUrl) {
            url = ordersUrl;
            firedAt = System.nanoTime();
            go.countDown();
        }

        void cancel() {
            go.countDown();
        }

        /** Waits for every answer, then reads the order service's own window; adds the answers to {@code totals}. */
        Burst finish(URI order, Totals totals) throws InterruptedException {
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(60));
            }
            Map<String, Object> server = ownWindow(client, order);
            Map<String, Long> counts = new TreeMap<>();
            Histogram latency = new Histogram(1, HIGHEST_MICROS, 3);
            Histogram sending = new Histogram(1, HIGHEST_MICROS, 3);
            Histogram waiting = new Histogram(1, HIGHEST_MICROS, 3);
            Histogram reading = new Histogram(1, HIGHEST_MICROS, 3);
            long lastSent = firedAt;
            for (int i = 0; i < orders; i++) {
                counts.merge(status[i] == null ? "no-answer" : status[i], 1L, Long::sum);
                if (callStart[i] == 0 || done[i] == 0) {
                    continue;
                }
                lastSent = Math.max(lastSent, callStart[i]);
                latency.recordValue(micros(done[i] - callStart[i]));
                if (sent[i] != 0 && firstByte[i] != 0) {
                    sending.recordValue(micros(sent[i] - callStart[i]));
                    waiting.recordValue(micros(firstByte[i] - sent[i]));
                    reading.recordValue(micros(done[i] - firstByte[i]));
                }
            }
            long answered = counts.entrySet().stream()
                    .filter(e -> e.getKey().matches("[0-9]{3}"))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
            synchronized (totals) {
                totals.latency.add(latency);
                counts.forEach((s, count) -> totals.statuses.merge(s, count, Long::sum));
                totals.sent += orders;
                totals.answered += answered;
            }
            return new Burst(
                    answered,
                    counts,
                    Math.round((lastSent - firedAt) / 10_000.0) / 100.0,
                    millis(latency.getValueAtPercentile(50)),
                    millis(latency.getValueAtPercentile(99)),
                    millis(latency.getMaxValue()),
                    new Phases(summary(sending), summary(waiting), summary(reading)),
                    server);
        }

        void close() {
            go.countDown();
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }

        /** Times each call's phases; the order's index is the request's tag. */
        private final class PhaseListener extends EventListener {
            private final Integer index;

            PhaseListener(Integer index) {
                this.index = index;
            }

            @Override
            public void requestBodyEnd(Call call, long byteCount) {
                if (index != null) {
                    sent[index] = System.nanoTime();
                }
            }

            @Override
            public void responseHeadersStart(Call call) {
                if (index != null) {
                    firstByte[index] = System.nanoTime();
                }
            }
        }
    }

    private static Map<String, Double> summary(Histogram histogram) {
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("p50Millis", millis(histogram.getValueAtPercentile(50)));
        figures.put("p99Millis", millis(histogram.getValueAtPercentile(99)));
        figures.put("maxMillis", millis(histogram.getMaxValue()));
        return figures;
    }

    private static long micros(long nanos) {
        return Math.min(HIGHEST_MICROS, Math.max(1, nanos / 1_000));
    }

    private static Request order(String url, String key, int index) {
        return new Request.Builder()
                .url(url)
                .header("Idempotency-Key", key)
                .tag(Integer.class, index)
                .post(RequestBody.create("{\"sku\":\"widget\",\"quantity\":1}".getBytes(StandardCharsets.UTF_8), JSON))
                .build();
    }

    /** The child's stdout, line by line; {@link #END_OF_OUTPUT} once it ends. */
    private static BlockingQueue<String> readLines(Process child) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().name("coldstart-child-stdout").start(() -> {
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
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
    static Optional<URI> awaitAnnouncement(BlockingQueue<String> lines) throws InterruptedException {
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
        try (okhttp3.Response response = client.newCall(new Request.Builder()
                        .url(order.resolve("/health").toString())
                        .build())
                .execute()) {
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

    private static double millis(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory under the output directory is harmless.
        }
    }
}
