package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.testing.RawHttp;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The order timeout is what a client waits for its answer, counted from the request's arrival. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OrderTimeoutHttpTest {

    // Wide apart on purpose: the right answer comes at about TIMEOUT, the wrong one at TIMEOUT +
    // SLOW_START, and a loaded machine must not be able to push the first past the line between.
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SLOW_START = Duration.ofSeconds(1);

    @RegisterExtension
    final RunningServices running = new RunningServices();

    @Test
    void workBeforeTheHandlerComesOutOfTheTimeout() {
        // Given an order service whose requests spend 300 ms before the order handler (as the
        // idempotency claim and the order insert did under load), and inventory that hangs
        RunningServices.Services services = running.start(s -> s.stock("widget=10")
                .gremlin("fixed(10s) before route=\"PUT /reservations/*\"")
                .timeout(TIMEOUT)
                .order(order -> order.filter((request, next) -> {
                    Thread.sleep(SLOW_START);
                    return next.handle(request);
                })));

        // When an order is placed
        RawHttp.Reply reply = services.place("slow-start", "widget", 1);

        // Then the answer comes within the timeout, not the timeout after the slow start
        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.elapsed())
                .isGreaterThanOrEqualTo(SLOW_START)
                .isLessThan(TIMEOUT.plus(SLOW_START).minusMillis(200));
    }
}
