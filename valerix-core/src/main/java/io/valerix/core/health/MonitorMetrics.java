package io.valerix.core.health;

import io.valerix.core.health.RequestKey.Direction;
import io.valerix.core.health.internal.CumulativeHistogram;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/** Writes a {@link LatencyMonitor}'s metrics; the names are listed on {@link LatencyMonitor}. */
final class MonitorMetrics {

    private MonitorMetrics() {}

    static void write(LatencyMonitor monitor, MetricsWriter writer) {
        // One read of the counts feeds both the counter and the histogram, so they agree.
        SortedMap<RequestKey, CumulativeHistogram.Counts> counts = monitor.cumulativeCounts();
        writeServer(counts, writer);
        writeClient(counts, writer);
        writeLights(monitor, writer);
    }

    private static void writeServer(SortedMap<RequestKey, CumulativeHistogram.Counts> counts, MetricsWriter writer) {
        MetricsWriter.Family total = writer.counter(
                "valerix_http_server_requests_total",
                "HTTP requests answered by this service, by route template, method and status.");
        counts.forEach((key, c) -> {
            if (key.direction() == Direction.SERVER) {
                total.sample(c.count(), serverLabels(key));
            }
        });
        MetricsWriter.HistogramFamily duration = writer.histogram(
                "valerix_http_server_request_duration_seconds",
                "Time to answer HTTP requests, by route template, method and status.");
        counts.forEach((key, c) -> {
            if (key.direction() == Direction.SERVER) {
                duration.sample(CumulativeHistogram.BOUNDS_SECONDS, c.cumulative(), c.sumSeconds(), serverLabels(key));
            }
        });
    }

    private static void writeClient(SortedMap<RequestKey, CumulativeHistogram.Counts> counts, MetricsWriter writer) {
        MetricsWriter.Family total = writer.counter(
                "valerix_http_client_requests_total",
                "Calls this service made to its dependencies, by dependency, route template, method and"
                        + " outcome (status code, ok, error or timeout).");
        counts.forEach((key, c) -> {
            if (key.direction() == Direction.CLIENT) {
                total.sample(c.count(), clientLabels(key));
            }
        });
        MetricsWriter.HistogramFamily duration = writer.histogram(
                "valerix_http_client_request_duration_seconds",
                "Time until calls to dependencies completed, failed or timed out, as this service saw it.");
        counts.forEach((key, c) -> {
            if (key.direction() == Direction.CLIENT) {
                duration.sample(CumulativeHistogram.BOUNDS_SECONDS, c.cumulative(), c.sumSeconds(), clientLabels(key));
            }
        });
    }

    private static void writeLights(LatencyMonitor monitor, MetricsWriter writer) {
        WindowHealth server = monitor.server();
        SortedMap<String, WindowHealth> dependencies = monitor.dependencies();

        MetricsWriter.Family light = writer.gauge(
                "valerix_health_light",
                "Health light per scope, one series per state: 1 for the current state, 0 for the"
                        + " others. RED while the rolling p99 is at or above the threshold.");
        writeLight(light, server.light(), "scope", "server");
        for (Map.Entry<String, WindowHealth> e : dependencies.entrySet()) {
            writeLight(light, e.getValue().light(), "scope", "client", "dependency", e.getKey());
        }

        writer.gauge("valerix_health_threshold_seconds", "The p99 latency at or above which a health light turns RED.")
                .sample(monitor.config().threshold().toNanos() / 1e9);

        MetricsWriter.Family p99 = writer.gauge(
                "valerix_health_window_p99_seconds",
                "99th percentile latency over the rolling window that decides the light; 0 when idle.");
        p99.sample(server.window().p99().toNanos() / 1e9, "scope", "server");
        for (Map.Entry<String, WindowHealth> e : dependencies.entrySet()) {
            p99.sample(e.getValue().window().p99().toNanos() / 1e9, "scope", "client", "dependency", e.getKey());
        }
    }

    private static void writeLight(MetricsWriter.Family family, HealthLight current, String... scope) {
        for (HealthLight state : HealthLight.values()) {
            String[] labels = new String[scope.length + 2];
            System.arraycopy(scope, 0, labels, 0, scope.length);
            labels[scope.length] = "state";
            labels[scope.length + 1] = state.name().toLowerCase(Locale.ROOT);
            family.sample(state == current ? 1 : 0, labels);
        }
    }

    private static String[] serverLabels(RequestKey key) {
        return new String[] {
            "route",
            key.route(),
            "method",
            key.method(),
            "status",
            key.outcome().label()
        };
    }

    private static String[] clientLabels(RequestKey key) {
        return new String[] {
            "dependency",
            key.dependency(),
            "route",
            key.route(),
            "method",
            key.method(),
            "outcome",
            key.outcome().label()
        };
    }
}
