package io.valerix.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.http.Response;
import io.valerix.core.service.ServiceKit;
import io.valerix.core.testing.RawHttp;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inventory server assembled with a {@link ServiceKit}: operator routes, the admin token, and the filter order. */
class InventoryServerKitTest {

    private static final String ADMIN_TOKEN = "inventory-kit-admin-token-0123456789";

    @Test
    void theKitServesHealthMetricsAndAGuardedGremlinInsideTheServiceToken(@TempDir Path dir) {
        // Given an inventory server with a kit and a gremlin that fails every reservation write
        Gremlin gremlin = Gremlin.builder(1)
                .spec(GremlinSpec.parse("error(503) route=\"PUT /reservations/*\""))
                .build();
        ServiceKit kit =
                ServiceKit.builder().adminToken(ADMIN_TOKEN).gremlin(gremlin).build();
        try (InventoryServer server = InventoryServer.builder()
                .dataDirectory(dir)
                .stock("widget=10")
                .serviceToken(InventoryHttp.SERVICE_TOKEN)
                .kit(kit)
                .extraRoutes((routes, running) -> routes.route(
                        "GET",
                        "/probe/widget",
                        request -> Response.json(
                                200,
                                Map.of(
                                        "available",
                                        running.service()
                                                .stockLevel("widget")
                                                .orElseThrow()
                                                .available()))))
                .build()
                .start()) {

            // When an unauthenticated client writes, an admin without a token tries the gremlin, and operators look
            RawHttp.Reply anonymousWrite = InventoryHttp.send(
                    server.uri(),
                    "PUT",
                    "/reservations/o-1",
                    "application/json",
                    "{\"sku\":\"widget\",\"quantity\":1}",
                    "Authorization",
                    "");
            RawHttp.Reply serviceWrite = InventoryHttp.send(
                    server.uri(),
                    "PUT",
                    "/reservations/o-2",
                    "application/json",
                    "{\"sku\":\"widget\",\"quantity\":1}");
            RawHttp.Reply anonymousAdmin = InventoryHttp.send(
                    server.uri(), "PUT", "/admin/gremlin", "text/plain", "none", "Authorization", "");
            RawHttp.Reply health = InventoryHttp.send(server.uri(), "GET", "/health", null, null);
            RawHttp.Reply metrics = InventoryHttp.send(server.uri(), "GET", "/metrics", null, null);
            RawHttp.Reply probe = InventoryHttp.send(server.uri(), "GET", "/probe/widget", null, null);

            // Then the service token is checked before the gremlin plays, the admin route holds, and
            // the operator routes and the route installer's route answer
            assertThat(anonymousWrite.status()).isEqualTo(401);
            assertThat(serviceWrite.status()).isEqualTo(503);
            assertThat(gremlin.counts().errors()).isEqualTo(1);
            assertThat(anonymousAdmin.status()).isEqualTo(401);
            assertThat(gremlin.spec().injectsNothing()).isFalse();
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json()
                            .path("checks")
                            .path("database")
                            .path("status")
                            .asText())
                    .isEqualTo("UP");
            assertThat(metrics.body()).contains("valerix_gremlin_decisions_total");
            assertThat(probe.json().path("available").asInt()).isEqualTo(10);
            assertThat(kit.monitor().server().window().count()).isPositive();
        }
    }
}
