package io.valerix.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.testing.RawHttp;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One pair of services for the class (starting them costs seconds); each test its own keys. */
class EmbeddedServicesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    private static final String adminToken = BearerTokenFilter.randomToken();
    private static EmbeddedServices services;

    @BeforeAll
    static void start() {
        services = EmbeddedServices.start(dataDir, adminToken);
    }

    @AfterAll
    static void stop() {
        services.close();
    }

    @Test
    void anOrderIsPlacedThroughBothServicesAndARetryGetsTheSameOrder() throws Exception {
        URI orders = services.order().uri().resolve("/orders");

        RawHttp.Reply first =
                RawHttp.post(orders, "", "{\"sku\":\"widget\",\"quantity\":2}", "Idempotency-Key", "example-order-1");
        RawHttp.Reply retry =
                RawHttp.post(orders, "", "{\"sku\":\"widget\",\"quantity\":2}", "Idempotency-Key", "example-order-1");

        assertThat(first.status()).isIn(201, 202);
        String orderId = JSON.readTree(first.body()).path("orderId").asText();
        assertThat(JSON.readTree(retry.body()).path("orderId").asText()).isEqualTo(orderId);
        // whether the first answer was in time or PENDING, the order settles CONFIRMED, 2 reserved once
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(
                                JSON.readTree(RawHttp.get(services.order().uri().resolve("/orders/" + orderId))
                                                .body())
                                        .path("status")
                                        .asText())
                        .isEqualTo("CONFIRMED"));
        JsonNode reservation =
                JSON.readTree(RawHttp.get(services.inventory().uri().resolve("/reservations/" + orderId))
                        .body());
        assertThat(reservation.path("quantity").asInt()).isEqualTo(2);
    }

    @Test
    void bothServicesServeHealthAndMetrics() {
        RawHttp.post(
                services.order().uri().resolve("/orders"),
                "",
                "{\"sku\":\"widget\",\"quantity\":1}",
                "Idempotency-Key",
                "example-order-2");

        for (URI service :
                new URI[] {services.order().uri(), services.inventory().uri()}) {
            assertThat(RawHttp.get(service.resolve("/health")).status()).isEqualTo(200);
            RawHttp.Reply metrics = RawHttp.get(service.resolve("/metrics"));
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.body()).contains("valerix_http_server_requests_total");
        }
        // the order service measured its calls to inventory
        assertThat(RawHttp.get(services.order().uri().resolve("/metrics")).body())
                .contains("valerix_http_client_requests_total{dependency=\"inventory\"");
    }

    @Test
    void theGremlinAdminRouteNeedsTheAdminToken() {
        URI admin = services.inventory().uri().resolve("/admin/gremlin");

        RawHttp.Reply anonymous = RawHttp.send(admin, "PUT", "", "text/plain", "none");
        RawHttp.Reply operator = RawHttp.send(
                admin, "PUT", "", "text/plain", "fixed(1ms) after", "Authorization", "Bearer " + adminToken);

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(operator.status()).isEqualTo(200);
        assertThat(services.gremlin().spec().toText()).isEqualTo("fixed(1ms) after");
    }
}
