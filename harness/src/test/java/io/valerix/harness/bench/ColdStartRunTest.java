package io.valerix.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

class ColdStartRunTest {

    @Test
    void theOrderAddressIsTakenFromTheAnnouncementNotFromEarlierOutput() throws Exception {
        // Given what 'valerix up' prints: a log-like line naming an order service before the
        // announcement, then the announcement and the address lines
        BlockingQueue<String> lines = new LinkedBlockingQueue<>(
                List.of(
                        "  order service      http://127.0.0.1:1111   (not announced yet)",
                        "Valerix is up.",
                        "  order service      http://127.0.0.1:40123   POST /orders, GET /orders/{orderId}",
                        "  inventory service  http://127.0.0.1:40124   GET /inventory, PUT|GET|DELETE /reservations/{orderId}"));

        // Then the address is the announced one
        assertThat(ColdStartRun.awaitAnnouncement(lines)).contains(URI.create("http://127.0.0.1:40123"));
    }

    @Test
    void onlyTheOrderServiceLineGivesAnAddress() {
        assertThat(ColdStartRun.orderAddress("  order service      http://127.0.0.1:8080   POST /orders"))
                .contains(URI.create("http://127.0.0.1:8080"));
        assertThat(ColdStartRun.orderAddress("  inventory service  http://127.0.0.1:8081   GET /inventory"))
                .isEmpty();
        assertThat(ColdStartRun.orderAddress("  health, metrics    http://127.0.0.1:8080/health"))
                .isEmpty();
    }

    @Test
    void aChildWhoseOutputEndsBeforeTheAnnouncementGivesNoAddress() throws Exception {
        // Given a child that printed an error and exited (the reader then queues the end marker)
        BlockingQueue<String> lines = new LinkedBlockingQueue<>(
                List.of("valerix: could not bind 127.0.0.1:8080", ColdStartRun.END_OF_OUTPUT));

        // Then there is no address, at once
        assertThat(ColdStartRun.awaitAnnouncement(lines)).isEmpty();
    }
}
