package io.valerix.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.core.deadline.Deadline;
import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinFilter;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.http.JsonClient;
import io.valerix.core.http.JsonRequest;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.Response;
import io.valerix.core.time.NanoClock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

/** /health and /metrics on a real server, fed by the latency recording filter and a client's calls. */
class HealthRoutesTest {

    @Test
    void healthAndMetricsReportWhatTheServerServedAndWhatItsClientsSaw() throws Exception {
        LatencyMonitor monitor = LatencyMonitor.of(
                HealthConfig.builder().dependencies("inventory").build(), NanoClock.system());
        AtomicBoolean databaseUp = new AtomicBoolean(true);
        HealthReporter reporter = HealthReporter.builder(monitor)
                .check(
                        "database",
                        () -> databaseUp.get()
                                ? HealthCheck.Result.up()
                                : HealthCheck.Result.down("connection refused"))
                .build();
        Gremlin gremlin = Gremlin.builder(1)
                .spec(GremlinSpec.parse("fixed(1ms) route=\"GET /items/*\""))
                .build();
        PrometheusExposition metrics = PrometheusExposition.builder()
                .source(monitor)
                .source(GremlinMetrics.of(gremlin))
                .build();
        JsonServer.Builder builder = JsonServer.builder()
                .filter(new LatencyRecordingFilter(monitor, NanoClock.system()))
                .filter(GremlinFilter.of(gremlin))
                .route("GET", "/items/{id}", r -> Response.json(200, Map.of("id", r.pathParam("id"))));
        HealthRoutes.install(builder, reporter, metrics);
        try (JsonServer server = builder.build().start()) {
            JsonClient client = JsonClient.builder(server.uri())
                    .name("inventory")
                    .callListener(MonitoredCalls.into(monitor))
                    .build();
            for (int i = 0; i < 3; i++) {
                client.send(JsonRequest.get("/items/{id}", "i-" + i), Map.class, Deadline.after(Duration.ofSeconds(2)));
            }
            OkHttpClient http = new OkHttpClient();

            get(http, server, "/health").close();
            get(http, server, "/metrics").close();
            String page = get(http, server, "/metrics").body().string();
            assertThat(page)
                    .contains(
                            "valerix_http_server_requests_total{route=\"/items/{id}\",method=\"GET\",status=\"200\"} 3")
                    .contains(
                            "valerix_http_client_requests_total{dependency=\"inventory\",route=\"/items/{id}\",method=\"GET\",outcome=\"200\"} 3")
                    .contains("valerix_gremlin_injections_total{kind=\"delay_before\"} 3")
                    .contains("le=\"1.0\"")
                    // watching the service is not traffic of the service
                    .doesNotContain("route=\"/metrics\"", "route=\"/health\"");
            Promtool.Verdict promtool = Promtool.checkMetrics(page);
            assertThat(promtool.exitCode())
                    .as("promtool check metrics exit code; output: %s; page:%n%s", promtool.output(), page)
                    .isZero();
            assertThat(promtool.output()).as(page).isEmpty();

            try (okhttp3.Response health = get(http, server, "/health")) {
                JsonNode json = new ObjectMapper().readTree(health.body().string());
                assertThat(health.code()).isEqualTo(200);
                assertThat(json.path("status").asText()).isEqualTo("UP");
                // Which colour depends on this machine's speed (the light itself is tested on a manual
                // clock); that there was traffic in the window does not.
                assertThat(json.path("light").asText()).isIn("GREEN", "RED");
                assertThat(json.path("count").asLong()).isGreaterThanOrEqualTo(3);
                assertThat(json.path("dependencies")
                                .path("inventory")
                                .path("light")
                                .asText())
                        .isIn("GREEN", "RED");
            }

            databaseUp.set(false);
            try (okhttp3.Response health = get(http, server, "/health")) {
                assertThat(health.code()).isEqualTo(503);
                assertThat(health.body().string()).contains("\"DOWN\"", "connection refused");
            }
        }
    }

    private static okhttp3.Response get(OkHttpClient http, JsonServer server, String path) throws java.io.IOException {
        return http.newCall(new Request.Builder().url(server.uri() + path).build())
                .execute();
    }
}
