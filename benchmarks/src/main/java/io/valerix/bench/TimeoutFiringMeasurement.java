package io.valerix.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpServer;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.Timeout;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.valerix.core.deadline.TimeLimiter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * What happens when a timeout fires, for Valerix, Resilience4j and Failsafe: how long after the
 * deadline the caller gets control back, and whether the work is still running afterwards. JMH's
 * modes measure steady operations, not one-off events, so this is a small harness of its own.
 *
 * <p>Each trial runs a call that would take {@value #WORK_MILLIS} ms under a much shorter timeout
 * and records {@code lateness = (instant control came back) - (start + timeout)}. Then it waits
 * {@value #GRACE_MILLIS} ms and looks whether the work is still running. Two kinds of work:
 *
 * <ul>
 *   <li>{@code sleep}: {@code Thread.sleep}, which an interrupt ends;
 *   <li>{@code http}: a blocking OkHttp call to a loopback server that answers after {@value
 *       #WORK_MILLIS} ms. Interrupting a platform thread does not unblock its socket read;
 *       {@code Call.cancel()} does.
 * </ul>
 *
 * <p>Each library is used the way its documentation says for a blocking call: Valerix's {@link
 * TimeLimiter} with {@code cancel.onCancel(call::cancel)}; Failsafe's {@code Timeout} {@code
 * withInterrupt()} with {@code context.onCancel(call::cancel)}; Resilience4j's {@code TimeLimiter}
 * with {@code cancelRunningFuture(true)} over {@code CompletableFuture.supplyAsync} (it offers no
 * cancel hook, and {@code CompletableFuture.cancel(true)} does not interrupt). Each runs with a
 * platform caller and a virtual caller (the trial runs on a fresh virtual thread); Resilience4j's
 * work runs on a cached platform pool or on virtual threads accordingly.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.valerix.bench.TimeoutFiringMeasurement
 * [trials] [timeout-ms] [out.json]}.
 */
public final class TimeoutFiringMeasurement {

    static final int WORK_MILLIS = 1_000;
    static final int GRACE_MILLIS = 50;
    private static final int WARMUP_TRIALS = 5;

    /** One library x caller x work combination, measured. */
    public record Row(
            String library,
            String caller,
            String work,
            int trials,
            int timedOut,
            double lateP50Micros,
            double lateP99Micros,
            double lateMaxMicros,
            int stillRunning) {}

    /** A whole run: the settings and a row per combination. */
    public record Result(int trials, long timeoutMillis, int workMillis, int graceMillis, List<Row> rows) {}

    private interface Limited {
        /** Runs {@code work} under the library's timeout; returns true if the timeout fired. */
        boolean run(Work work) throws Exception;
    }

    /** The work of one trial; {@code running} is true from its start until it ends, however it ends. */
    private final class Work {
        final String kind;
        final AtomicBoolean running = new AtomicBoolean();

        Work(String kind) {
            this.kind = kind;
        }

        /** Does the work, registering a way to stop it with {@code onCancel} where one exists. */
        Object perform(Consumer<Runnable> onCancel) throws Exception {
            running.set(true);
            try {
                if (kind.equals("sleep")) {
                    Thread.sleep(WORK_MILLIS);
                    return "slept";
                }
                Call call = http.newCall(new Request.Builder().url(slowUrl).build());
                onCancel.accept(call::cancel);
                try (okhttp3.Response response = call.execute()) {
                    return response.body().string();
                }
            } finally {
                running.set(false);
            }
        }
    }

    private final Duration timeout;
    private final HttpServer slowServer;
    private final ExecutorService slowServerThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final String slowUrl;
    private final OkHttpClient http;
    private final ExecutorService platformPool = Executors.newCachedThreadPool();
    private final ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();

    private TimeoutFiringMeasurement(Duration timeout) throws IOException {
        this.timeout = timeout;
        slowServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        slowServer.setExecutor(slowServerThreads);
        slowServer.createContext("/slow", exchange -> {
            try {
                Thread.sleep(WORK_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "done".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        slowServer.start();
        slowUrl = "http://127.0.0.1:" + slowServer.getAddress().getPort() + "/slow";
        http = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(64, 10, TimeUnit.SECONDS))
                .readTimeout(Duration.ZERO)
                .callTimeout(Duration.ZERO)
                .retryOnConnectionFailure(false)
                .build();
    }

    /** Measures every combination with {@code trials} trials each. */
    public static Result measure(int trials, Duration timeout) throws Exception {
        TimeoutFiringMeasurement measurement = new TimeoutFiringMeasurement(timeout);
        try {
            return measurement.measureAll(trials);
        } finally {
            measurement.close();
        }
    }

    private Result measureAll(int trials) throws Exception {
        TimeLimiter valerix = TimeLimiter.of(timeout);
        io.github.resilience4j.timelimiter.TimeLimiter resilience4j =
                io.github.resilience4j.timelimiter.TimeLimiter.of(TimeLimiterConfig.custom()
                        .timeoutDuration(timeout)
                        .cancelRunningFuture(true)
                        .build());
        FailsafeExecutor<Object> failsafe =
                Failsafe.with(Timeout.builder(timeout).withInterrupt().build());

        List<Row> rows = new ArrayList<>();
        for (String work : List.of("sleep", "http")) {
            for (boolean virtualCaller : List.of(false, true)) {
                ExecutorService workPool = virtualCaller ? virtualThreads : platformPool;
                rows.add(measure("valerix", virtualCaller, work, trials, w -> {
                    try {
                        valerix.call(cancel -> w.perform(cancel::onCancel));
                        return false;
                    } catch (io.valerix.core.deadline.DeadlineExceededException e) {
                        return true;
                    }
                }));
                rows.add(measure("failsafe", virtualCaller, work, trials, w -> {
                    try {
                        failsafe.get(context -> w.perform(action -> context.onCancel(action::run)));
                        return false;
                    } catch (dev.failsafe.TimeoutExceededException e) {
                        return true;
                    }
                }));
                rows.add(measure("resilience4j", virtualCaller, work, trials, w -> {
                    try {
                        resilience4j.executeFutureSupplier(() -> CompletableFuture.supplyAsync(
                                () -> {
                                    try {
                                        return w.perform(action -> {});
                                    } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                    }
                                },
                                workPool));
                        return false;
                    } catch (java.util.concurrent.TimeoutException e) {
                        return true;
                    }
                }));
            }
        }
        return new Result(trials, timeout.toMillis(), WORK_MILLIS, GRACE_MILLIS, rows);
    }

    private Row measure(String library, boolean virtualCaller, String kind, int trials, Limited limited)
            throws Exception {
        long[] lateness = new long[trials];
        int timedOut = 0;
        int stillRunning = 0;
        for (int i = -WARMUP_TRIALS; i < trials; i++) {
            long[] trial = onCaller(virtualCaller, () -> {
                Work work = new Work(kind);
                long start = System.nanoTime();
                boolean fired = limited.run(work);
                long back = System.nanoTime();
                Thread.sleep(GRACE_MILLIS);
                return new long[] {back - (start + timeout.toNanos()), fired ? 1 : 0, work.running.get() ? 1 : 0};
            });
            if (i >= 0) {
                lateness[i] = trial[0];
                timedOut += (int) trial[1];
                stillRunning += (int) trial[2];
            }
        }
        Arrays.sort(lateness);
        return new Row(
                library,
                virtualCaller ? "virtual" : "platform",
                kind,
                trials,
                timedOut,
                micros(percentile(lateness, 0.50)),
                micros(percentile(lateness, 0.99)),
                micros(lateness[trials - 1]),
                stillRunning);
    }

    private interface Trial {
        long[] run() throws Exception;
    }

    private static long[] onCaller(boolean virtualCaller, Trial trial) throws Exception {
        if (!virtualCaller) {
            return trial.run();
        }
        Object[] outcome = new Object[1];
        Thread thread = Thread.ofVirtual().start(() -> {
            try {
                outcome[0] = trial.run();
            } catch (Exception e) {
                outcome[0] = e;
            }
        });
        thread.join();
        if (outcome[0] instanceof Exception e) {
            throw e;
        }
        return (long[]) outcome[0];
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double fraction) {
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double micros(long nanos) {
        return Math.round(nanos / 100.0) / 10.0;
    }

    private void close() {
        platformPool.shutdownNow();
        virtualThreads.shutdownNow();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        slowServer.stop(0);
        slowServerThreads.shutdownNow();
    }

    /** Prints the rows as a table. */
    static void print(Result result, PrintStream out) {
        out.printf(
                Locale.ROOT,
                "Timeout firing: timeout %d ms, work %d ms, %d trials each%n",
                result.timeoutMillis(),
                result.workMillis(),
                result.trials());
        out.printf(
                Locale.ROOT,
                "%-13s %-9s %-6s %9s %12s %12s %12s %14s%n",
                "library",
                "caller",
                "work",
                "timed out",
                "late p50 µs",
                "late p99 µs",
                "late max µs",
                "still running");
        for (Row row : result.rows()) {
            out.printf(
                    Locale.ROOT,
                    "%-13s %-9s %-6s %9d %12.1f %12.1f %12.1f %14d%n",
                    row.library(),
                    row.caller(),
                    row.work(),
                    row.timedOut(),
                    row.lateP50Micros(),
                    row.lateP99Micros(),
                    row.lateMaxMicros(),
                    row.stillRunning());
        }
    }

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        long timeoutMillis = args.length > 1 ? Long.parseLong(args[1]) : 20;
        Result result = measure(trials, Duration.ofMillis(timeoutMillis));
        print(result, System.out);
        if (args.length > 2) {
            Path out = Path.of(args[2]);
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
        }
        System.exit(0);
    }
}
