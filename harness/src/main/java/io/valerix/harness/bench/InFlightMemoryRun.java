package io.valerix.harness.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The memory figure: starts {@link InFlightMemoryProbe} in a child JVM with a small heap, sends it
 * {@code orders} orders at once (paced so the accept queue keeps up), waits for every answer, and
 * collects the child's heap high-water marks.
 */
final class InFlightMemoryRun {

    private static final MediaType JSON = MediaType.get("application/json");
    /** Orders sent but not yet held at inventory, at most. */
    private static final int ENTERING_WINDOW = 200;

    /** What happened; {@code error} is null when the child stayed up and answered. */
    record Outcome(
            int orders,
            String maxHeap,
            long answered,
            long confirmed,
            Map<String, Long> statuses,
            double seconds,
            Map<String, Object> child,
            String error) {}

    private InFlightMemoryRun() {}

    static Outcome run(
            Path dataDir, Path childLog, int orders, String maxHeap, Duration holdAfterTarget, Duration maxHold)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xmx" + maxHeap,
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.net.preferIPv4Stack=true",
                "-cp",
                System.getProperty("java.class.path"),
                InFlightMemoryProbe.class.getName(),
                dataDir.toString(),
                Integer.toString(orders),
                Long.toString(holdAfterTarget.toMillis()),
                Long.toString(maxHold.toMillis())));
        Process child = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(childLog.toFile()))
                .start();
        // Bounds the whole run: killing the child ends its output, so every read below returns.
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(InFlightMemoryProbe.WAIT.plusMinutes(3));
                child.destroyForcibly();
            } catch (InterruptedException e) {
                // The run finished first.
            }
        });
        Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        OkHttpClient http = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(16, 10, TimeUnit.SECONDS))
                .connectTimeout(Duration.ofSeconds(30))
                .readTimeout(Duration.ZERO)
                .callTimeout(InFlightMemoryProbe.WAIT.plusSeconds(30))
                .retryOnConnectionFailure(false)
                .build();
        try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
            String ready = readLine(out, "READY ", child);
            if (ready == null) {
                return failed(
                        orders,
                        maxHeap,
                        statuses,
                        started,
                        "the child JVM did not start (exit " + exitOf(child) + "; see " + childLog + ")");
            }
            String url =
                    "http://127.0.0.1:" + ready.substring("READY ".length()).strip() + "/orders";
            List<Thread> senders = new ArrayList<>(orders);
            String arrivedUrl =
                    "http://127.0.0.1:" + ready.substring("READY ".length()).strip() + "/probe/arrived";
            int arrived = 0;
            for (int i = 0; i < orders; i++) {
                // Only a window of orders is let in ahead of those already held at inventory: each order
                // writes to the order database before it reaches inventory, and a flood queues on the
                // connection pool until requests time out, which would measure the pool, not the memory.
                while (i - arrived >= ENTERING_WINDOW && child.isAlive()) {
                    Thread.sleep(5);
                    arrived = arrived(http, arrivedUrl, arrived);
                }
                String key = "mem-" + i;
                senders.add(Thread.ofVirtual()
                        .start(() -> statuses.computeIfAbsent(send(http, url, key), s -> new LongAdder())
                                .increment()));
            }
            long joinUntil =
                    System.nanoTime() + InFlightMemoryProbe.WAIT.plusSeconds(60).toNanos();
            for (Thread sender : senders) {
                sender.join(Duration.ofNanos(Math.max(1, joinUntil - System.nanoTime())));
            }
            if (!child.isAlive()) {
                return failed(
                        orders,
                        maxHeap,
                        statuses,
                        started,
                        "the child JVM died (exit " + exitOf(child) + "; see " + childLog + ")");
            }
            in.write("REPORT\n");
            in.flush();
            String result = readLine(out, "RESULT ", child);
            if (result == null) {
                return failed(
                        orders,
                        maxHeap,
                        statuses,
                        started,
                        "the child JVM gave no result (exit " + exitOf(child) + "; see " + childLog + ")");
            }
            Map<String, Object> report = new ObjectMapper()
                    .readValue(
                            result.substring("RESULT ".length()),
                            new TypeReference<LinkedHashMap<String, Object>>() {});
            child.waitFor(30, TimeUnit.SECONDS);
            return outcome(orders, maxHeap, statuses, started, report, null);
        } finally {
            watchdog.interrupt();
            child.destroyForcibly();
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    private static int arrived(OkHttpClient http, String url, int previous) {
        try (okhttp3.Response response =
                http.newCall(new Request.Builder().url(url).build()).execute()) {
            return new ObjectMapper()
                    .readTree(response.body().bytes())
                    .path("arrived")
                    .asInt(previous);
        } catch (IOException e) {
            return previous;
        }
    }

    /**
     * Places one order and returns the final status. A 503 (the child shedding load or its
     * connection pool busy, which a loaded machine makes likely) is retried with the same key after
     * its Retry-After, as a client should: the figure needs every order held at once, and an order
     * given up on would never arrive at inventory, so the target would never be reached.
     */
    private static String send(OkHttpClient http, String url, String key) {
        Request request = new Request.Builder()
                .url(url)
                .header("Idempotency-Key", key)
                .post(RequestBody.create("{\"sku\":\"widget\",\"quantity\":1}".getBytes(StandardCharsets.UTF_8), JSON))
                .build();
        long giveUpAt = System.nanoTime() + InFlightMemoryProbe.WAIT.toNanos();
        while (true) {
            String retryAfter;
            try (okhttp3.Response response = http.newCall(request).execute()) {
                response.body().bytes();
                if (response.code() != 503 || System.nanoTime() > giveUpAt) {
                    return Integer.toString(response.code());
                }
                retryAfter = response.header("Retry-After", "1");
            } catch (IOException e) {
                return "transport-error";
            }
            try {
                Thread.sleep(Duration.ofSeconds(retryAfter.matches("[0-9]{1,3}") ? Long.parseLong(retryAfter) : 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "503";
            }
        }
    }

    /** The first line starting with {@code prefix}, or null if the child's output ends first. */
    private static String readLine(BufferedReader out, String prefix, Process child) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        return null;
    }

    private static String exitOf(Process child) throws InterruptedException {
        return child.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(child.exitValue()) : "still running";
    }

    private static Outcome failed(
            int orders, String maxHeap, Map<String, LongAdder> statuses, long started, String error) {
        return outcome(orders, maxHeap, statuses, started, Map.of(), error);
    }

    private static Outcome outcome(
            int orders,
            String maxHeap,
            Map<String, LongAdder> statuses,
            long started,
            Map<String, Object> child,
            String error) {
        Map<String, Long> counts = new TreeMap<>();
        statuses.forEach((status, count) -> counts.put(status, count.sum()));
        long answered = counts.entrySet().stream()
                .filter(e -> !e.getKey().equals("transport-error"))
                .mapToLong(Map.Entry::getValue)
                .sum();
        long confirmed = counts.getOrDefault("201", 0L);
        double seconds = Math.round((System.nanoTime() - started) / 1e8) / 10.0;
        return new Outcome(orders, maxHeap, answered, confirmed, counts, seconds, child, error);
    }
}
