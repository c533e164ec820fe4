package io.valerix.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.valerix.core.testing.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Any body a client sends to {@code PUT /reservations/{orderId}}, through the real server: a 200
 * that took at most the stock there was, or a problem+json 4xx that changed neither the stock nor
 * the reservations; never a 5xx.
 */
class ReserveBodyFuzzTest {

    private static final AtomicLong orders = new AtomicLong();
    private static FuzzedInventory inventory;

    @BeforeAll
    static void start() {
        inventory = new FuzzedInventory();
    }

    @AfterAll
    static void stop() throws IOException {
        inventory.close();
    }

    @FuzzTest(maxDuration = "60s")
    void anyReserveBodyReservesOrIsRefusedWithoutAChange(byte[] body) {
        inventory.reset();
        List<String> before = inventory.snapshot();
        String orderId = "fuzz-" + orders.incrementAndGet();

        RawHttp.Reply reply = InventoryHttp.send(
                inventory.uri(),
                "PUT",
                "/reservations/" + orderId,
                "application/json",
                new String(body, StandardCharsets.UTF_8));

        assertThat(reply.status()).as("%s", reply).isBetween(200, 499);
        List<String> after = inventory.snapshot();
        if (reply.status() >= 400) {
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(after).as("tables after a %d", reply.status()).isEqualTo(before);
        } else {
            assertThat(inventory.rowsWithNegativeStock()).isZero();
        }
    }
}
