package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.valerix.core.testing.DatabaseRows;
import io.valerix.core.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Any body a client sends to {@code POST /orders}, through the real order server and a real
 * inventory server: an order (2xx), or a problem+json 4xx that wrote nothing in either database
 * (no order, no idempotency record, no reservation, no stock taken); never a 5xx.
 */
class OrderBodyFuzzTest {

    @RegisterExtension
    static final RunningServices running = RunningServices.perClass();

    private static final AtomicLong keys = new AtomicLong();
    private static RunningServices.Services services;

    @BeforeAll
    static void start() {
        services = running.start(s -> s.stock("widget=1000000,gadget=1").timeout(Duration.ofSeconds(10)));
        assertThat(OrderHttp.placeOrder(
                                services.orderUri(),
                                "existing",
                                "{\"orderId\":\"o-1\",\"sku\":\"widget\",\"quantity\":2}")
                        .status())
                .isEqualTo(201);
    }

    @FuzzTest(maxDuration = "60s")
    void anyOrderBodyPlacesAnOrderOrIsRefusedWithoutAWrite(byte[] body) {
        List<String> orders = Tables.orderSnapshot(services.orderDb());
        List<String> inventory = Tables.inventorySnapshot(services.inventoryDb());

        RawHttp.Reply reply = OrderHttp.placeOrder(
                services.orderUri(), "fuzz-" + keys.incrementAndGet(), new String(body, StandardCharsets.UTF_8));

        assertThat(reply.status()).as("%s", reply).isBetween(200, 499);
        if (reply.status() >= 400) {
            assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
            assertThat(Tables.orderSnapshot(services.orderDb()))
                    .as("order database after a %d", reply.status())
                    .isEqualTo(orders);
            assertThat(Tables.inventorySnapshot(services.inventoryDb()))
                    .as("inventory after a %d", reply.status())
                    .isEqualTo(inventory);
        } else {
            assertThat(DatabaseRows.count(
                            services.inventoryDb(), "SELECT COUNT(*) FROM inventory_stock WHERE available < 0"))
                    .isZero();
        }
    }
}
