package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.valerix.core.testing.RawHttp;
import io.valerix.order.RunningServices.Transport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The in-process transport behaves as HTTP does, for placing and for reconciling: every scenario
 * runs over both, with the same gremlin spec between the services, and expects the same answers,
 * the same final orders and the same stock.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransportParityTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    @RegisterExtension
    final RunningServices running = new RunningServices();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anOrderInventoryAnswersInTimeIsConfirmed(Transport transport) {
        // In time on any machine: a cold first call on a busy machine can take longer than TIMEOUT,
        // and this test is about the outcome being the same on both transports, not about speed.
        RunningServices.Services services =
                running.start(s -> s.transport(transport).stock("widget=10").timeout(Duration.ofSeconds(20)));

        RawHttp.Reply placed = services.place("fast", "widget", 3);

        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.field("status")).isEqualTo("CONFIRMED");
        assertThat(services.reservations()).containsExactly(Map.entry(placed.field("orderId"), "RESERVED|widget|3"));
        assertThat(services.stock("widget").available()).isEqualTo(7);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anOrderForMoreThanIsLeftIsRejectedAndTakesNothing(Transport transport) {
        RunningServices.Services services =
                running.start(s -> s.transport(transport).stock("widget=2").timeout(TIMEOUT));

        RawHttp.Reply placed = services.place("too-many", "widget", 3);

        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.field("status")).isEqualTo("REJECTED");
        assertThat(placed.json().path("message").asText()).startsWith("Out of stock");
        assertThat(services.stock("widget").available()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anUnknownSkuIsRefusedBeforeAnythingIsWritten(Transport transport) {
        RunningServices.Services services =
                running.start(s -> s.transport(transport).stock("widget=2").timeout(TIMEOUT));

        RawHttp.Reply placed = services.place("unknown", "nothing", 1);

        assertThat(placed.status()).isEqualTo(422);
        assertThat(placed.problemType()).isEqualTo("urn:valerix:problem:unknown-sku");
        assertThat(services.orders()).isEmpty();
        assertThat(services.reservations()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anAnswerAfterTheTimeoutLeavesTheOrderPendingAndTheReconcilerConfirmsIt(Transport transport) {
        RunningServices.Services services = running.start(s -> s.transport(transport)
                .stock("widget=10")
                .gremlin("fixed(1s) after route=\"PUT /reservations/*\"")
                .timeout(TIMEOUT));

        RawHttp.Reply placed = services.place("late", "widget", 3);

        assertThat(placed.status()).isEqualTo(202);
        assertThat(placed.field("status")).isEqualTo("PENDING");
        await().atMost(Duration.ofSeconds(15))
                .until(() -> services.orderNamed(placed.field("orderId")).status() == OrderStatus.CONFIRMED);
        assertThat(services.reservations()).containsExactly(Map.entry(placed.field("orderId"), "RESERVED|widget|3"));
        assertThat(services.stock("widget").available()).isEqualTo(7);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aReserveHeldBeforeItIsMadeEndsFailedAndTakesNothingWhenItLands(Transport transport) {
        // Given a reserve held 3 s on its way, long after the order timed out and was settled
        RunningServices.Services services = running.start(s -> s.transport(transport)
                .stock("widget=10")
                .gremlin("fixed(3s) before route=\"PUT /reservations/*\"")
                .timeout(TIMEOUT));

        // When the order is placed
        RawHttp.Reply placed = services.place("held", "widget", 3);

        // Then it is PENDING, then FAILED, and when the held reserve lands it takes nothing (over
        // HTTP inventory refuses it, its budget gone; in process it meets the tombstone)
        assertThat(placed.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> services.orderNamed(placed.field("orderId")).status() == OrderStatus.FAILED);
        await().atMost(Duration.ofSeconds(10)).until(() -> services.finishedReserves() == 1);
        assertThat(services.reservations()).containsExactly(Map.entry(placed.field("orderId"), "CANCELLED|null|null"));
        assertThat(services.stock("widget").available()).isEqualTo(10);
    }
}
