package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.valerix.core.deadline.Deadline;
import io.valerix.core.jdbc.DeadlineBoundDataSource;
import io.valerix.core.testing.DatabaseRows;
import io.valerix.core.testing.RawHttp;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The order timeout bounds every wait on a database: a locked or exhausted order database gets a
 * 503 with Retry-After by the timeout and writes nothing; a locked inventory database gets a 202
 * PENDING, since the order row exists by then. The slack is generous, so a loaded machine does not
 * fail it; without the deadline rule these waits last 10 s (H2's lock timeout) or 2 s (the pool's).
 */
class OrderDeadlineHttpTest {

    private static final Duration TIMEOUT = Duration.ofMillis(800);
    /** Far below the 10 s lock timeout the databases would otherwise wait. */
    private static final Duration SLACK = Duration.ofMillis(1500);

    @RegisterExtension
    final RunningServices running = new RunningServices();

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aLockedOrderRowGetsA503WithRetryAfterByTheTimeoutAndWritesNothing() throws Exception {
        // Given another connection holding the lock on the row this order would insert
        RunningServices.Services services = running.start(s -> s.timeout(TIMEOUT));
        String orderId = OrderHttpApi.orderIdForKey("locked");
        try (Connection blocker = services.orderDb().getConnection()) {
            blocker.setAutoCommit(false);
            try (PreparedStatement insert = blocker.prepareStatement(
                    "INSERT INTO orders (order_id, sku, quantity, status, message, created_at, updated_at)"
                            + " VALUES (?, 'widget', 1, 'PENDING', 'held', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")) {
                insert.setString(1, orderId);
                insert.executeUpdate();
            }

            // When the order comes
            RawHttp.Reply reply = services.place("locked", "widget", 1);

            // Then it is told to retry, in time
            assertThat(reply.status()).as("%s", reply).isEqualTo(503);
            assertThat(reply.problemType()).isEqualTo("urn:valerix:problem:order-store-unavailable");
            assertThat(reply.header("Retry-After")).isEqualTo("1");
            assertThat(reply.elapsed()).isLessThan(TIMEOUT.plus(SLACK));
            blocker.rollback();
        }

        // And nothing of it was written: no order, no idempotency claim, no reservation
        assertThat(services.orders()).isEmpty();
        assertThat(DatabaseRows.count(services.orderDb(), "SELECT COUNT(*) FROM idempotency_record"))
                .isZero();
        assertThat(services.reservations()).isEmpty();

        // And the retry goes through
        assertThat(services.place("locked", "widget", 1).status()).isEqualTo(201);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anExhaustedPoolGetsA503WithRetryAfterByTheTimeoutAndWritesNothing() throws Exception {
        // Given every connection of the order database held by long transactions
        RunningServices.Services services = running.start(s -> s.timeout(TIMEOUT));
        DeadlineBoundDataSource database = services.order().service().store().database();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger holding = new AtomicInteger();
        ExecutorService holders = Executors.newFixedThreadPool(database.maxConnections());
        List<java.util.concurrent.Future<?>> held = new ArrayList<>();
        for (int i = 0; i < database.maxConnections(); i++) {
            held.add(holders.submit(() -> database.inTransaction(Deadline.after(Duration.ofSeconds(30)), c -> {
                holding.incrementAndGet();
                try {
                    return release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            })));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> holding.get() == database.maxConnections());

        // When an order comes
        RawHttp.Reply reply = services.place("starved", "widget", 1);

        // Then it is told to retry, in time, and nothing was written
        assertThat(reply.status()).as("%s", reply).isEqualTo(503);
        assertThat(reply.header("Retry-After")).isEqualTo("1");
        assertThat(reply.problemType())
                .isIn(
                        "urn:valerix:problem:idempotency-store-unavailable",
                        "urn:valerix:problem:order-store-unavailable");
        assertThat(reply.elapsed()).isLessThan(TIMEOUT.plus(SLACK));
        release.countDown();
        for (java.util.concurrent.Future<?> f : held) {
            f.get(10, TimeUnit.SECONDS);
        }
        holders.shutdown();
        assertThat(services.orders()).isEmpty();
        assertThat(DatabaseRows.count(services.orderDb(), "SELECT COUNT(*) FROM idempotency_record"))
                .isZero();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aLockedStockRowAtInventoryGetsA202PendingByTheTimeout() throws Exception {
        // Given another connection holding the lock on the stock row inventory must update
        RunningServices.Services services = running.start(s -> s.timeout(TIMEOUT));
        try (Connection blocker = services.inventoryDb().getConnection()) {
            blocker.setAutoCommit(false);
            try (PreparedStatement lock =
                    blocker.prepareStatement("UPDATE inventory_stock SET available = available WHERE sku = 'widget'")) {
                lock.executeUpdate();
            }

            // When an order comes
            RawHttp.Reply reply = services.place("slow-stock", "widget", 1);

            // Then it is accepted as PENDING, in time: its row exists, its outcome is not known
            assertThat(reply.status()).as("%s", reply).isEqualTo(202);
            assertThat(reply.field("status")).isEqualTo("PENDING");
            assertThat(reply.elapsed()).isLessThan(TIMEOUT.plus(SLACK));
            // And inventory gave up on it at the deadline instead of waiting out its 10 s lock timeout
            await().atMost(Duration.ofSeconds(5)).until(() -> services.finishedReserves() == 1);
            blocker.rollback();
        }
        assertThat(services.reservations()).isEmpty();
        assertThat(services.stock("widget").available()).isEqualTo(100);
    }
}
