package io.valerix.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.health.HealthCheck;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A {@link ServiceKit} on a plain {@link JsonServer} on a real port. */
class ServiceKitTest {

    private static final String TOKEN = "kit-admin-token-0123456789";

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger handled = new AtomicInteger();
    private JsonServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private URI start(ServiceKit kit) {
        JsonServer.Builder builder = JsonServer.builder()
                .drainTimeout(Duration.ZERO)
                .route("GET", "/work", request -> Response.json(200, Map.of("n", handled.incrementAndGet())));
        server = kit.installOn(builder).build().start();
        return server.uri();
    }

    private HttpResponse<String> send(URI base, String method, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "text/plain");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void installsHealthMetricsAndTheGremlinAdminRouteBehindTheToken() throws Exception {
        Gremlin gremlin = Gremlin.builder(1).build();
        URI base = start(ServiceKit.builder()
                .adminToken(TOKEN)
                .gremlin(gremlin)
                .healthCheck("cache", () -> HealthCheck.Result.up("warm"))
                .metrics(writer -> writer.gauge("app_things", "Things.").sample(3))
                .build());

        HttpResponse<String> health = send(base, "GET", "/health", null, null);
        HttpResponse<String> metrics = send(base, "GET", "/metrics", null, null);
        HttpResponse<String> anonymousPut = send(base, "PUT", "/admin/gremlin", null, "error(500)");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"cache\"", "warm");
        assertThat(metrics.body()).contains("app_things 3", "valerix_gremlin_decisions_total");
        assertThat(anonymousPut.statusCode()).isEqualTo(401);
        assertThat(gremlin.spec().injectsNothing()).isTrue();
        assertThat(send(base, "PUT", "/admin/gremlin", TOKEN, "error(500)").statusCode())
                .isEqualTo(200);
        assertThat(send(base, "GET", "/work", null, null).statusCode()).isEqualTo(500);
    }

    @Test
    void theLightSeesWhatTheGremlinDidAndTheExtraFiltersRunOutsideIt() throws Exception {
        // Given a gremlin that refuses every request before the handler, and an extra filter
        List<Integer> seenByFilter = new ArrayList<>();
        Gremlin gremlin =
                Gremlin.builder(1).spec(GremlinSpec.parse("error(503) before")).build();
        ServiceKit kit = ServiceKit.builder()
                .gremlin(gremlin)
                .filter((request, next) -> {
                    Response response = next.handle(request);
                    seenByFilter.add(response.status());
                    return response;
                })
                .build();
        URI base = start(kit);

        // When a client calls
        HttpResponse<String> answer = send(base, "GET", "/work", null, null);

        // Then nothing ran, the extra filter saw the gremlin's 503, and so did the light
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(handled).hasValue(0);
        assertThat(seenByFilter).containsExactly(503);
        assertThat(kit.monitor().server().window().errorCount()).isEqualTo(1);
    }

    @Test
    void withoutATokenThereIsNoGremlinAdminRoute() throws Exception {
        URI base =
                start(ServiceKit.builder().gremlin(Gremlin.builder(1).build()).build());

        assertThat(send(base, "PUT", "/admin/gremlin", null, "error(500)").statusCode())
                .isEqualTo(404);
    }

    @Test
    void maxDeadlineCapsTheBudgetACallerAsksFor() throws Exception {
        JsonServer.Builder builder = JsonServer.builder()
                .drainTimeout(Duration.ZERO)
                .route(
                        "GET",
                        "/budget",
                        request -> Response.json(
                                200, Map.of("ms", request.deadline().remaining().toMillis())));
        server = ServiceKit.builder()
                .maxDeadline(Duration.ofSeconds(5))
                .build()
                .installOn(builder)
                .build()
                .start();

        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(server.uri().resolve("/budget"))
                        .header("Valerix-Budget-Ms", "60000")
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        // At most the cap (5 s), far from the 60 s asked for, whatever the machine's load.
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(Long.parseLong(answer.body().replaceAll("[^0-9]", ""))).isLessThanOrEqualTo(5_000);
    }

    @Test
    void aMonitorAndHealthSettingsTogetherAreRefused() {
        ServiceKit one = ServiceKit.builder().build();
        assertThatThrownBy(() -> ServiceKit.builder()
                        .monitor(one.monitor())
                        .health(one.monitor().config())
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not both");
    }
}
