package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.deadline.Deadline;
import io.valerix.core.http.ProblemException;
import io.valerix.core.testing.DatabaseEngine;
import io.valerix.core.testing.ManualWallClock;
import io.valerix.core.testing.TestDatabase;
import io.valerix.core.time.ManualNanoClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(DatabaseEngine.class)
class OrderServiceTest {

    /**
     * Long enough for an answer in time on a loaded 2-core machine (the writes before the inventory
     * call come out of it), shorter than the 1 s and more that the slow cases script.
     */
    private static final Duration TIMEOUT = Duration.ofMillis(800);

    @Parameter
    DatabaseEngine engine;

    @TempDir
    Path dir;

    private TestDatabase database;

    private final ManualWallClock clock = new ManualWallClock(Instant.parse("2026-11-25T12:00:00Z"));
    private ScriptedInventory inventory;
    private HikariDataSource db;
    private OrderService service;

    @BeforeEach
    void start() {
        inventory = new ScriptedInventory();
        database = engine.create(dir, "orders");
        db = database.open(8);
        service = OrderService.builder()
                .dataSource(db)
                .inventory(new HttpInventoryClient(inventory.uri(), ServiceTokens.SERVICE_TOKEN, (d, r, o, n) -> {}))
                .clock(clock)
                .timeout(TIMEOUT)
                .build();
        // A cold JVM's first call to inventory (OkHttp, Jackson) can take most of the timeout on a
        // loaded machine, and tests that expect an answer in time are not about that.
        assertThat(service.refreshCatalog(Deadline.after(Duration.ofSeconds(5))))
                .isTrue();
    }

    @AfterEach
    void stop() {
        inventory.close();
        db.close();
    }

    @Test
    void reservedAnswerConfirmsTheOrder() {
        PlacedOrder placed = service.place("o-1", "A", 2, Deadline.after(Duration.ofSeconds(5)));

        assertThat(placed.outcome()).isEqualTo(PlacedOrder.Outcome.CREATED);
        assertThat(placed.order().status()).isEqualTo(OrderStatus.CONFIRMED);
    }

    @Test
    void rejectedAnswerRejectsTheOrderWithAnOutOfStockMessage() {
        inventory.reserveAnswer.set("REJECTED");

        PlacedOrder placed = service.place("o-1", "A", 2, Deadline.after(Duration.ofSeconds(5)));

        assertThat(placed.order().status()).isEqualTo(OrderStatus.REJECTED);
        assertThat(placed.order().message()).startsWith("Out of stock");
    }

    @Test
    void slowInventoryLeavesThePlaceCallWithinTheTimeoutAndTheOrderPending() {
        inventory.answerDelay.set(Duration.ofSeconds(3));
        long start = System.nanoTime();

        PlacedOrder placed = service.place("o-1", "A", 2, Deadline.after(Duration.ofSeconds(5)));

        // Inventory answers after 3 s; the call must come back at the timeout, far before that.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusMillis(1_500));
        assertThat(placed.outcome()).isEqualTo(PlacedOrder.Outcome.ACCEPTED);
        assertThat(placed.order().status()).isEqualTo(OrderStatus.PENDING);
        assertThat(placed.order().message()).contains("pending", "/orders/o-1");
    }

    @Test
    void theTimeoutCountsFromThePlaceCallNotFromWhenTheCallersDeadlineWasMade() {
        // A caller's deadline made long ago, with an hour still to go (a batch job's, say)
        ManualNanoClock callerClock = new ManualNanoClock();
        Deadline batch = Deadline.after(Duration.ofHours(1), callerClock);
        callerClock.advance(Duration.ofMinutes(10));

        PlacedOrder placed = service.place("o-1", "A", 2, batch);

        assertThat(placed.order().status()).as("inventory was given its time").isEqualTo(OrderStatus.CONFIRMED);
        assertThat(inventory.reserveCalls).hasValue(1);
    }

    @Test
    void aRetryOfTheSameOrderReturnsItsCurrentStateWithoutReservingAgain() {
        service.place("o-1", "A", 2, Deadline.after(Duration.ofSeconds(5)));

        PlacedOrder again = service.place("o-1", "A", 2, Deadline.after(Duration.ofSeconds(5)));

        assertThat(again.outcome()).isEqualTo(PlacedOrder.Outcome.EXISTING);
        assertThat(again.order().status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(inventory.reserveCalls).hasValue(1);
    }

    @Test
    void theSameOrderIdForADifferentOrderIsAConflictAndChangesNothing() {
        service.place("o-1", "A", 2, Deadline.after(Duration.ofSeconds(5)));

        assertThatThrownBy(() -> service.place("o-1", "A", 3, Deadline.after(Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().type()).isEqualTo(OrderProblems.ORDER_CONFLICT.type()));
        assertThat(service.find("o-1").orElseThrow().quantity()).isEqualTo(2);
    }

    @Test
    void timedOutOrderWhoseReservationHappenedIsConfirmedByTheReconciler() {
        inventory.answerDelay.set(Duration.ofSeconds(2));
        service.place("o-1", "A", 2, Deadline.after(Duration.ofSeconds(5)));
        OrderReconciler reconciler = OrderReconciler.builder(service).build();

        assertThat(reconciler.settleOnce()).as("too young to settle").isZero();
        clock.advance(Duration.ofSeconds(2));
        assertThat(reconciler.settleOnce()).isEqualTo(1);

        assertThat(service.find("o-1").orElseThrow().status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(inventory.cancelCalls).hasValue(0);
    }

    @Test
    void orderWhoseReserveNeverArrivedIsCancelledThenFailed() {
        inventory.dropReserves = true;
        inventory.answerDelay.set(Duration.ofSeconds(1));
        service.place("o-1", "A", 2, Deadline.after(Duration.ofSeconds(5)));
        inventory.dropReserves = false;
        clock.advance(Duration.ofSeconds(2));

        OrderReconciler.builder(service).build().settleOnce();

        assertThat(service.find("o-1").orElseThrow().status()).isEqualTo(OrderStatus.FAILED);
        assertThat(inventory.reservations).containsEntry("o-1", "CANCELLED");
    }

    @Test
    void reconcilerLeavesOrdersPendingWhileInventoryIsDown() {
        inventory.answerDelay.set(Duration.ofSeconds(1));
        service.place("o-1", "A", 2, Deadline.after(Duration.ofSeconds(5)));
        clock.advance(Duration.ofSeconds(2));
        inventory.down = true;

        assertThatThrownBy(() -> OrderReconciler.builder(service).build().settleOnce())
                .isInstanceOf(InventoryUnavailableException.class);
        assertThat(service.find("o-1").orElseThrow().status()).isEqualTo(OrderStatus.PENDING);
    }

    @Test
    void pastTheBoundOnInventoryCallsARequestIsRefusedAtOnceAndNothingIsWritten() throws Exception {
        OrderService bounded = OrderService.builder()
                .dataSource(db)
                .inventory(new HttpInventoryClient(inventory.uri(), ServiceTokens.SERVICE_TOKEN, (d, r, o, n) -> {}))
                .timeout(Duration.ofSeconds(3))
                .maxConcurrentInventoryCalls(2)
                .build();
        inventory.answerDelay.set(Duration.ofSeconds(2));
        CountDownLatch busy = new CountDownLatch(2);
        List<Thread> waiting = List.of(
                Thread.ofVirtual().start(() -> {
                    busy.countDown();
                    bounded.place("o-1", "A", 1, Deadline.after(Duration.ofSeconds(5)));
                }),
                Thread.ofVirtual().start(() -> {
                    busy.countDown();
                    bounded.place("o-2", "A", 1, Deadline.after(Duration.ofSeconds(5)));
                }));
        busy.await(2, TimeUnit.SECONDS);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> inventory.reserveCalls.get() == 2);

        assertThatThrownBy(() -> bounded.place("o-3", "A", 1, Deadline.after(Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(503);
                    assertThat(e.retryAfterSeconds()).isEqualTo("1");
                });
        // It did not queue: the two calls holding the permits are still waiting on inventory.
        assertThat(waiting).allSatisfy(thread -> assertThat(thread.isAlive()).isTrue());
        assertThat(inventory.reserveCalls).hasValue(2);
        assertThat(bounded.find("o-3")).isEmpty();
        for (Thread thread : waiting) {
            thread.join(5_000);
        }
    }

    @Test
    void invalidInputIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> service.place("bad id!", "A", 1, Deadline.after(Duration.ofSeconds(1))))
                .isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> service.place("o-1", "A", 0, Deadline.after(Duration.ofSeconds(1))))
                .isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> service.place("o-1", "A", 1001, Deadline.after(Duration.ofSeconds(1))))
                .isInstanceOf(ProblemException.class);
        assertThat(service.refreshCatalog(Deadline.after(Duration.ofSeconds(2))))
                .isTrue();
        assertThatThrownBy(() -> service.place("o-1", "NOPE", 1, Deadline.after(Duration.ofSeconds(1))))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().type()).isEqualTo(OrderProblems.UNKNOWN_SKU.type()));

        assertThat(service.countByStatus().values()).containsOnly(0L);
        assertThat(inventory.reserveCalls).hasValue(0);
    }
}
