package io.valerix.harness.chaos.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.harness.report.HealthSample;
import io.valerix.harness.report.RunFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads both services' {@code GET /health} once a second and writes each reading to {@code
 * health.jsonl}: the lights come from the services' own latency monitors and thresholds, the ones
 * the dashboard shows.
 *
 * <p>Each reading runs on its own virtual thread, so a slow answer (the inventory's gremlin delays
 * {@code /health} too) does not hold up the next second's; a reading is stamped with the time it
 * was asked for. Thread-safe.
 */
public final class HealthSampler implements AutoCloseable {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

    private final Map<String, URI> services = new LinkedHashMap<>();
    private final RunClock clock;
    private final HttpJson http = new HttpJson(PROBE_TIMEOUT);
    private final BufferedWriter out;
    private final Map<String, HealthSample> latest = new ConcurrentHashMap<>();
    private final TaskGroup probes = new TaskGroup("chaos-health");
    private volatile boolean stopped;
    private Thread ticker;

    public HealthSampler(URI orderUri, URI inventoryUri, RunClock clock, Path file) {
        services.put("order", orderUri);
        services.put("inventory", inventoryUri);
        this.clock = clock;
        try {
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public void start() {
        ticker = Thread.ofVirtual().name("chaos-health-ticker").start(() -> {
            long next = System.nanoTime();
            while (!stopped) {
                double at = clock.nowMs();
                services.forEach((name, uri) -> probes.spawn(() -> probe(name, uri, at)));
                next += 1_000_000_000L;
                long left = next - System.nanoTime();
                if (left > 0) {
                    try {
                        Thread.sleep(Duration.ofNanos(left));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
    }

    private void probe(String service, URI uri, double at) {
        HealthSample sample;
        try {
            JsonNode health = http.get(uri, "/health", null);
            Map<String, String> dependencies = new LinkedHashMap<>();
            health.path("dependencies")
                    .properties()
                    .forEach(e -> dependencies.put(
                            e.getKey(), e.getValue().path("light").asText()));
            sample = new HealthSample(
                    at,
                    service,
                    health.path("light").asText(HealthSample.NO_ANSWER),
                    health.hasNonNull("p99Ms") ? health.get("p99Ms").asDouble() : null,
                    health.hasNonNull("ratePerSecond")
                            ? health.get("ratePerSecond").asDouble()
                            : null,
                    dependencies,
                    null);
        } catch (RuntimeException e) {
            sample = new HealthSample(at, service, HealthSample.NO_ANSWER, null, null, Map.of(), e.getMessage());
        }
        latest.merge(service, sample, (old, fresh) -> fresh.tMs() >= old.tMs() ? fresh : old);
        synchronized (out) {
            if (!stopped) {
                try {
                    out.write(RunFiles.toLine(sample));
                    out.write('\n');
                } catch (IOException e) {
                    stopped = true;
                }
            }
        }
    }

    /** The latest reading of {@code service}, or null. */
    public HealthSample latest(String service) {
        return latest.get(service);
    }

    /** Stops reading, waits briefly for readings in flight, and closes the file. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.interrupt();
        }
        try {
            probes.awaitIdle(System.nanoTime() + 2_000_000_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (out) {
            stopped = true;
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("writing health.jsonl failed", e);
            } finally {
                http.close();
            }
        }
    }
}
