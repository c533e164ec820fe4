package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.deadline.Deadline;
import io.valerix.core.jdbc.H2Database;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several reconcilers on one database (several order services) split the PENDING orders between
 * them and settle each exactly once. Engine-neutral: only {@link #openDatabase} knows it is H2, so
 * an engine matrix can run it on PostgreSQL by opening another database there.
 */
class ReconcilerConcurrencyTest {

    private static final int ORDERS = 600;
    private static final int RECONCILERS = 3;

    @TempDir
    Path dir;

    /** The one database every reconciler shares; the only engine-specific line of this test. */
    DataSource openDatabase() {
        return H2Database.open(dir, "orders", 16);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void threeReconcilersOnOneDatabaseSettleEveryOrderExactlyOnce() throws Exception {
        DataSource database = openDatabase();
        try {
            // Given 600 PENDING orders, due, and an inventory that reserved the even ones
            CountingInventory inventory = new CountingInventory();
            List<OrderService> services = new ArrayList<>();
            for (int i = 0; i < RECONCILERS; i++) {
                services.add(OrderService.builder()
                        .dataSource(database)
                        .inventory(inventory)
                        .timeout(Duration.ofSeconds(1))
                        .build());
            }
            Instant longAgo = Instant.now().minus(Duration.ofHours(1));
            for (int i = 0; i < ORDERS; i++) {
                services.get(0).store().insertPending("o-" + i, "widget", 1, "pending", longAgo);
            }

            // When three reconcilers, one per service, settle at the same time
            List<OrderReconciler> reconcilers = services.stream()
                    .map(service -> OrderReconciler.builder(service)
                            .settleAfter(Duration.ofSeconds(2))
                            .build())
                    .toList();
            ExecutorService threads = Executors.newFixedThreadPool(RECONCILERS);
            List<Future<Integer>> settledBy = new ArrayList<>();
            for (OrderReconciler reconciler : reconcilers) {
                settledBy.add(threads.submit(reconciler::settleOnce));
            }
            int settled = 0;
            for (Future<Integer> count : settledBy) {
                settled += count.get(60, TimeUnit.SECONDS);
            }
            threads.shutdown();

            // Then every order was settled once, by one reconciler, and inventory was asked once per order
            assertThat(settled).isEqualTo(ORDERS);
            Map<OrderStatus, Long> total = new EnumMap<>(OrderStatus.class);
            for (OrderReconciler reconciler : reconcilers) {
                reconciler.settledCounts().forEach((status, n) -> total.merge(status, n, Long::sum));
                reconciler.close();
            }
            assertThat(total)
                    .containsEntry(OrderStatus.CONFIRMED, (long) ORDERS / 2)
                    .containsEntry(OrderStatus.FAILED, (long) ORDERS / 2);
            assertThat(services.get(0).countByStatus())
                    .containsEntry(OrderStatus.PENDING, 0L)
                    .containsEntry(OrderStatus.CONFIRMED, (long) ORDERS / 2)
                    .containsEntry(OrderStatus.FAILED, (long) ORDERS / 2);
            assertThat(inventory.finds).hasSize(ORDERS);
            assertThat(inventory.finds.values())
                    .allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
            assertThat(inventory.cancels.keySet()).hasSize(ORDERS / 2);
            assertThat(inventory.cancels.values())
                    .allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        } finally {
            ((HikariDataSource) database).close();
        }
    }

    /** Inventory that reserved the even orders and never saw the odd ones, counting each question. */
    static final class CountingInventory implements InventoryClient {
        final Map<String, AtomicInteger> finds = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> cancels = new ConcurrentHashMap<>();

        @Override
        public ReservationStatus reserve(String orderId, String sku, int quantity, Deadline deadline) {
            throw new AssertionError("the reconciler never reserves");
        }

        @Override
        public ReservationStatus find(String orderId, Deadline deadline) {
            finds.computeIfAbsent(orderId, id -> new AtomicInteger()).incrementAndGet();
            return Integer.parseInt(orderId.substring(2)) % 2 == 0
                    ? ReservationStatus.RESERVED
                    : ReservationStatus.NOT_FOUND;
        }

        @Override
        public ReservationStatus cancel(String orderId, Deadline deadline) {
            cancels.computeIfAbsent(orderId, id -> new AtomicInteger()).incrementAndGet();
            return ReservationStatus.CANCELLED;
        }

        @Override
        public Set<String> skus(Deadline deadline) {
            return Set.of("widget");
        }
    }
}
