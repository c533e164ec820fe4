package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.valerix.core.testing.RawHttp;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Orders whose inventory call timed out or failed, so that the order service could not know
 * whether stock was taken: each is answered PENDING at once, and the reconciler settles it to
 * what really happened, never guessing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UncertainOutcomeHttpTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    @RegisterExtension
    final RunningServices running = new RunningServices();

    @Test
    void aTimedOutOrderWhoseReservationHappenedEndsConfirmed() {
        // Given inventory that reserves at once but answers only after the order timeout
        RunningServices.Services services = running.start(s -> s.stock("widget=100")
                .gremlin("fixed(1s) after route=\"PUT /reservations/*\"")
                .timeout(TIMEOUT));

        // When an order is placed
        RawHttp.Reply placed = services.place("late-answer", "widget", 2);

        // Then it is accepted as PENDING, with where to look it up
        String orderId = placed.field("orderId");
        assertThat(placed.status()).as("%s", placed).isEqualTo(202);
        assertThat(placed.field("status")).isEqualTo("PENDING");
        assertThat(placed.header("Location")).isEqualTo("/orders/" + orderId);
        assertThat(OrderHttp.getOrder(services.orderUri(), orderId).field("status"))
                .isEqualTo("PENDING");

        // And the reconciler finds the reservation and confirms it, with the stock taken once
        await().atMost(Duration.ofSeconds(15))
                .until(() -> services.orderNamed(orderId).status() == OrderStatus.CONFIRMED);
        assertThat(services.reservations()).containsExactly(Map.entry(orderId, "RESERVED|widget|2"));
        assertThat(services.stock("widget").available()).isEqualTo(98);

        // And a retry with the key gets the settled order, not the stale timeout
        RawHttp.Reply retried = services.place("late-answer", "widget", 2);
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.field("status")).isEqualTo("CONFIRMED");
    }

    @Test
    void aRefusalForgedAfterTheReservationWasMadeIsNoRefusalAndTheOrderEndsConfirmed() {
        // Given a link that replaces inventory's answer to a reserve with a 409 after it was made
        RunningServices.Services services = running.start(s -> s.stock("widget=100")
                .gremlin("error(409) after route=\"PUT /reservations/*\"")
                .timeout(TIMEOUT));

        // When an order is placed
        RawHttp.Reply placed = services.place("forged", "widget", 2);

        // Then it is not taken for a refusal: the outcome is unknown, and the reconciler finds it reserved
        assertThat(placed.status()).as("%s", placed).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> services.orderNamed(placed.field("orderId")).status() == OrderStatus.CONFIRMED);
        assertThat(services.reservations()).containsExactly(Map.entry(placed.field("orderId"), "RESERVED|widget|2"));
        assertThat(services.stock("widget").available()).isEqualTo(98);
    }

    @Test
    void whileALookupIsAnsweredWithAForgedRefusalTheOrderStaysPendingAndIsNeverGuessed() {
        // Given an order reserved at inventory whose answer came too late, and lookups answered 400
        RunningServices.Services services = running.start(s -> s.stock("widget=100")
                .gremlin("fixed(1s) after route=\"PUT /reservations/*\"; error(400) route=\"GET /reservations/*\"")
                .timeout(TIMEOUT));
        RawHttp.Reply placed = services.place("unanswered", "widget", 2);
        assertThat(placed.status()).isEqualTo(202);

        // When the reconciler has asked twice and been refused twice
        await().atMost(Duration.ofSeconds(15))
                .until(() -> lookups(services) >= 2
                        || services.orderNamed(placed.field("orderId")).status() != OrderStatus.PENDING);

        // Then the order is still PENDING (not FAILED with its stock held), and settles once lookups work
        assertThat(services.orderNamed(placed.field("orderId")).status()).isEqualTo(OrderStatus.PENDING);
        services.gremlin("none");
        await().atMost(Duration.ofSeconds(15))
                .until(() -> services.orderNamed(placed.field("orderId")).status() == OrderStatus.CONFIRMED);
        assertThat(services.stock("widget").available()).isEqualTo(98);
    }

    private static long lookups(RunningServices.Services services) {
        return services.gremlin().recentDecisions().stream()
                .filter(d -> d.method().equals("GET") && d.path().startsWith("/reservations/"))
                .count();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "error(503) before route=\"PUT /reservations/*\"",
                "reset before route=\"PUT /reservations/*\"",
                "noresponse(2s) route=\"PUT /reservations/*\"",
                // Held past its budget: inventory refuses it (504) once it reaches the handler.
                "fixed(2s) before route=\"PUT /reservations/*\""
            })
    void anOrderWhoseReserveNeverTookEffectEndsFailedAndALateReserveTakesNoStock(String gremlin) {
        // Given a link that loses, refuses or holds every reserve request
        RunningServices.Services services =
                running.start(s -> s.stock("widget=100").gremlin(gremlin).timeout(TIMEOUT));

        // When an order is placed
        RawHttp.Reply placed = services.place("lost", "widget", 2);
        String orderId = placed.field("orderId");
        assertThat(placed.status()).as("%s", placed).isEqualTo(202);
        assertThat(placed.field("status")).isEqualTo("PENDING");

        // Then the reconciler cancels it at inventory, leaving a tombstone, and fails it
        await().atMost(Duration.ofSeconds(15))
                .until(() -> services.orderNamed(orderId).status() == OrderStatus.FAILED);
        await().atMost(Duration.ofSeconds(10)).until(() -> services.finishedReserves() >= 1);
        assertThat(services.reservations()).containsExactly(Map.entry(orderId, "CANCELLED|null|null"));
        assertThat(services.stock("widget").available()).isEqualTo(100);
        RawHttp.Reply failed = OrderHttp.getOrder(services.orderUri(), orderId);
        assertThat(failed.field("status")).isEqualTo("FAILED");
        assertThat(failed.json().path("message").asText()).startsWith("Failed:");

        // And a reserve for that order arriving late, now that the link works, takes nothing
        services.gremlin("none");
        RawHttp.Reply late = RawHttp.send(
                services.inventory().uri(),
                "PUT",
                "/reservations/" + orderId,
                RawHttp.JSON,
                OrderHttp.order("widget", 2),
                "Authorization",
                "Bearer " + ServiceTokens.SERVICE_TOKEN);
        assertThat(late.status()).isEqualTo(200);
        assertThat(late.field("status")).isEqualTo("CANCELLED");
        assertThat(services.stock("widget").available()).isEqualTo(100);

        // And a retry of the order gets the failure, and places nothing new
        RawHttp.Reply retried = services.place("lost", "widget", 2);
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.field("status")).isEqualTo("FAILED");
        assertThat(services.orders()).containsExactly(Map.entry(orderId, "FAILED|widget|2"));
    }
}
