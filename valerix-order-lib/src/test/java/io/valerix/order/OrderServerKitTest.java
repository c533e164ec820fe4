package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.http.Response;
import io.valerix.core.service.ServiceKit;
import io.valerix.core.testing.RawHttp;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The order server assembled with a {@link ServiceKit}: operator routes, the admin token, and the filter order. */
class OrderServerKitTest {

    private static final String ADMIN_TOKEN = "order-kit-admin-token-0123456789";

    @RegisterExtension
    final RunningServices running = new RunningServices();

    private final Gremlin gremlin = Gremlin.builder(3).build();
    private final ServiceKit kit =
            ServiceKit.builder().adminToken(ADMIN_TOKEN).gremlin(gremlin).build();

    private RunningServices.Services start() {
        // A generous timeout: these tests are about assembly, not about a slow inventory.
        return running.start(s -> s.timeout(Duration.ofSeconds(5))
                .order(order -> order.kit(kit)
                        // A route installer gets the running server, not a holder to fill in later.
                        .extraRoutes((routes, server) -> routes.route(
                                "GET",
                                "/probe/orders",
                                request -> Response.json(
                                        200, Map.of("orders", server.service().countByStatus()))))));
    }

    @Test
    void healthAndMetricsShowTheDatabaseTheLightTheOrdersAndTheGremlin() {
        RunningServices.Services services = start();
        assertThat(services.place("k-1", "widget", 1).status()).isIn(201, 202);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> services.orders().values().stream().allMatch(o -> o.startsWith("CONFIRMED")));

        RawHttp.Reply health = RawHttp.send(services.orderUri(), "GET", "/health", null, null);
        RawHttp.Reply metrics = RawHttp.send(services.orderUri(), "GET", "/metrics", null, null);
        RawHttp.Reply probe = RawHttp.send(services.orderUri(), "GET", "/probe/orders", null, null);

        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(health.json().path("checks").path("database").path("status").asText())
                .isEqualTo("UP");
        assertThat(metrics.body())
                .contains("valerix_orders{status=\"CONFIRMED\"} 1", "valerix_gremlin_decisions_total");
        assertThat(probe.json().path("orders").path("CONFIRMED").asInt()).isEqualTo(1);
        assertThat(kit.monitor().server().window().count()).isPositive();
    }

    @Test
    void theGremlinAdminRouteNeedsTheAdminToken() {
        RunningServices.Services services = start();

        RawHttp.Reply anonymous =
                RawHttp.send(services.orderUri(), "PUT", "/admin/gremlin", "text/plain", "error(503)");
        RawHttp.Reply admin = RawHttp.send(
                services.orderUri(),
                "PUT",
                "/admin/gremlin",
                "text/plain",
                "error(503)",
                "Authorization",
                "Bearer " + ADMIN_TOKEN);

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(admin.status()).as(admin.body()).isEqualTo(200);
        assertThat(gremlin.spec().toText()).contains("error(503)");
    }

    @Test
    void idempotencyRunsInsideTheGremlinSoARetryAfterALostAnswerGetsTheStoredOrder() {
        // Given a gremlin that loses the answer after the order was placed
        RunningServices.Services services = start();
        gremlin.replaceSpec(GremlinSpec.parse("error(503) after route=\"POST /orders\""));
        RawHttp.Reply lost = services.place("k-lost", "widget", 2);

        // When the client retries once the network is well again
        gremlin.replaceSpec(GremlinSpec.none());
        RawHttp.Reply retry = services.place("k-lost", "widget", 2);

        // Then the retry replays the one order the first attempt made, and the light counted the 503
        assertThat(lost.status()).isEqualTo(503);
        assertThat(lost.problemType()).endsWith("gremlin-injected");
        assertThat(retry.status()).as(retry.body()).isIn(200, 201, 202);
        assertThat(retry.field("orderId")).isNotEmpty();
        assertThat(services.orders()).hasSize(1);
        assertThat(services.stock("widget").available())
                .as("reserved at most once")
                .isGreaterThanOrEqualTo(98);
        assertThat(kit.monitor().server().window().errorCount()).isPositive();
    }
}
