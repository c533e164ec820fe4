package io.valerix.harness.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop load of {@code POST /orders}: each user (a platform thread) sends an order, waits for
 * the answer, and sends the next at once, each with a fresh {@code Idempotency-Key}. Platform, not
 * virtual, threads: the load runs in the services' JVM, and virtual users would wait for a carrier
 * behind the very server work they measure, so a burst of timed-out orders would count twice in
 * what the users see. The kernel wakes a platform thread as it would a client in another process. Requests that
 * complete during the warm-up are not counted; after the measured window no new request starts and
 * the ones in flight are waited for (at most the client's 30 s call timeout).
 *
 * <p>Every target gets the same client: OkHttp with keep-alive, no retries, a 30 s call timeout
 * that only bounds the run.
 */
final class ClosedLoopLoad {

    private static final MediaType JSON = MediaType.get("application/json");
    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(120);

    /**
     * What one target did under the load.
     *
     * @param sampled requests started in the measured window (the latency sample)
     * @param succeeded 2xx answers that arrived in the measured window (the throughput)
     * @param failed sampled requests answered with a non-2xx status or lost in transit
     */
    record Outcome(
            String target,
            int users,
            double seconds,
            long sampled,
            long succeeded,
            long failed,
            Map<String, Long> statuses,
            double perSecond,
            double p50Millis,
            double p99Millis,
            double maxMillis) {}

    private final OkHttpClient http;

    ClosedLoopLoad(int users) {
        http = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(users + 16, 30, TimeUnit.SECONDS))
                .callTimeout(Duration.ofSeconds(30))
                .readTimeout(Duration.ZERO)
                .retryOnConnectionFailure(false)
                .build();
    }

    /** Several targets under load at the same time, each with its own users; one outcome per target. */
    List<Outcome> run(List<Target> targets, Duration warmup, Duration measured) throws InterruptedException {
        return run(targets, warmup, measured, () -> {});
    }

    /** As {@link #run(List, Duration, Duration)}, running {@code atWindowEnd} when the measured window closes. */
    List<Outcome> run(List<Target> targets, Duration warmup, Duration measured, Runnable atWindowEnd)
            throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long measureUntil = measureFrom + measured.toNanos();
        List<Thread> threads = new ArrayList<>();
        List<Tally> tallies = new ArrayList<>();
        for (Target target : targets) {
            Tally tally = new Tally(target);
            tallies.add(tally);
            for (int user = 0; user < target.users(); user++) {
                int u = user;
                threads.add(Thread.ofPlatform()
                        .daemon()
                        .stackSize(256 * 1024)
                        .name("load-" + target.name() + "-" + user)
                        .start(() -> {
                            long sequence = 0;
                            while (System.nanoTime() < measureUntil) {
                                send(
                                        tally,
                                        target.name() + "-" + target.runId() + "-" + u + "-" + sequence++,
                                        measureFrom,
                                        measureUntil);
                            }
                        }));
            }
        }
        Thread windowEnd = Thread.ofVirtual().start(() -> {
            while (System.nanoTime() < measureUntil) {
                LockSupport.parkNanos(measureUntil - System.nanoTime());
            }
            atWindowEnd.run();
        });
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(40));
        }
        windowEnd.join(Duration.ofSeconds(5));
        double seconds = measured.toNanos() / 1e9;
        return tallies.stream().map(tally -> tally.outcome(seconds)).toList();
    }

    private void send(Tally tally, String key, long measureFrom, long measureUntil) {
        Request request = new Request.Builder()
                .url(tally.target.url())
                .header("Idempotency-Key", key)
                .post(RequestBody.create("{\"sku\":\"widget\",\"quantity\":1}".getBytes(StandardCharsets.UTF_8), JSON))
                .build();
        long sent = System.nanoTime();
        String status;
        boolean ok;
        try (okhttp3.Response response = http.newCall(request).execute()) {
            response.body().bytes();
            status = Integer.toString(response.code());
            ok = response.code() >= 200 && response.code() < 300;
        } catch (IOException e) {
            status = "transport-error";
            ok = false;
        }
        long done = System.nanoTime();
        if (sent >= measureFrom && sent < measureUntil) {
            tally.latency.recordValue(Math.min(HIGHEST_MICROS, (done - sent) / 1_000));
            tally.statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
        }
        if (ok && done >= measureFrom && done < measureUntil) {
            tally.succeeded.incrementAndGet();
        }
    }

    void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** Where a group of users sends its orders. */
    record Target(String name, String url, int users, long runId) {}

    private static final class Tally {
        final Target target;
        final Recorder latency = new Recorder(1, HIGHEST_MICROS, 3);
        final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
        final AtomicLong succeeded = new AtomicLong();

        Tally(Target target) {
            this.target = target;
        }

        Outcome outcome(double seconds) {
            Histogram histogram = latency.getIntervalHistogram();
            Map<String, Long> counts = new TreeMap<>();
            statuses.forEach((status, count) -> counts.put(status, count.sum()));
            long sampled = counts.values().stream().mapToLong(Long::longValue).sum();
            long failed = counts.entrySet().stream()
                    .filter(e -> !e.getKey().startsWith("2"))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
            return new Outcome(
                    target.name(),
                    target.users(),
                    seconds,
                    sampled,
                    succeeded.get(),
                    failed,
                    counts,
                    round(succeeded.get() / seconds),
                    millis(histogram.getValueAtPercentile(50)),
                    millis(histogram.getValueAtPercentile(99)),
                    millis(histogram.getMaxValue()));
        }
    }

    private static double millis(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
