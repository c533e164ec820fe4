package io.valerix.core.health;

import io.valerix.core.http.JsonServer;
import io.valerix.core.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * {@code GET /health} (the {@link HealthReport} as JSON; 200 when UP, 503 when DOWN, the Actuator
 * convention) and {@code GET /metrics} (Prometheus text format 0.0.4).
 */
public final class HealthRoutes {

    private HealthRoutes() {}

    public static JsonServer.Builder install(
            JsonServer.Builder server, HealthReporter reporter, PrometheusExposition metrics) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(reporter, "reporter");
        Objects.requireNonNull(metrics, "metrics");
        server.route("GET", "/health", request -> {
            HealthReport report = reporter.report();
            return Response.json(report.httpStatus(), report);
        });
        server.route(
                "GET",
                "/metrics",
                request -> Response.bytes(
                        200, PrometheusExposition.CONTENT_TYPE, metrics.render().getBytes(StandardCharsets.UTF_8)));
        return server;
    }
}
