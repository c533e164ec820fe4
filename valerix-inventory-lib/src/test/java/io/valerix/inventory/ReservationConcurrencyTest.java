package io.valerix.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.core.testing.DatabaseEngine;
import io.valerix.core.testing.DatabaseRows;
import io.valerix.core.testing.RawHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Many clients at once over HTTP, against a real server on each database engine. */
@ParameterizedClass
@EnumSource(DatabaseEngine.class)
class ReservationConcurrencyTest {

    @Parameter
    DatabaseEngine engine;

    private static final int THREADS = 64;

    @RegisterExtension
    final InventoryServerExtension inventory = InventoryServerExtension.withStock("widget=100,last=10");

    @Test
    void sixtyFourThreadsReservingOneOrderTakeStockOnceAndAllGetTheSameAnswer() throws Exception {
        // Given 64 clients sending the same reservation at the same moment
        List<RawHttp.Reply> replies = concurrently(i -> InventoryHttp.reserve(inventory.uri(), "o-same", "widget", 3));

        // Then each got the one answer, and the stock was taken once
        assertThat(replies).extracting(RawHttp.Reply::status).containsOnly(200);
        assertThat(replies)
                .extracting(RawHttp.Reply::body)
                .containsOnly("{\"orderId\":\"o-same\",\"sku\":\"widget\",\"quantity\":3,\"status\":\"RESERVED\"}");
        assertThat(DatabaseRows.count(inventory.dataSource(), "SELECT COUNT(*) FROM inventory_reservation"))
                .isEqualTo(1);
        assertThat(inventory.service().stockLevel("widget")).contains(new StockLevel("widget", 97, 3, 100));
    }

    @Test
    void sixtyFourOrdersRacingForTheLastTenUnitsGetExactlyTenReservations() throws Exception {
        // Given a watcher that reads the stock over HTTP for as long as the race runs
        AtomicBoolean racing = new AtomicBoolean(true);
        List<JsonNode> seen = new CopyOnWriteArrayList<>();
        ExecutorService watcher = Executors.newSingleThreadExecutor();
        Future<?> watching = watcher.submit(() -> {
            while (racing.get()) {
                seen.add(InventoryHttp.stock(inventory.uri(), "last").json());
            }
        });

        // When 64 different orders each ask for one of the last 10 units
        List<RawHttp.Reply> replies;
        try {
            replies = concurrently(i -> InventoryHttp.reserve(inventory.uri(), "o-" + i, "last", 1));
        } finally {
            racing.set(false);
            watching.get(30, TimeUnit.SECONDS);
            watcher.shutdown();
        }

        // Then exactly 10 got one, the rest were told no, and stock never went below zero
        assertThat(replies).extracting(RawHttp.Reply::status).containsOnly(200);
        assertThat(replies)
                .filteredOn(r -> r.field("status").equals("RESERVED"))
                .hasSize(10);
        assertThat(replies)
                .filteredOn(r -> r.field("status").equals("REJECTED"))
                .hasSize(THREADS - 10);
        assertThat(inventory.service().stockLevel("last")).contains(new StockLevel("last", 0, 10, 10));
        assertThat(seen).isNotEmpty().allSatisfy(level -> {
            assertThat(level.path("available").asLong()).isBetween(0L, 10L);
            assertThat(level.path("available").asLong() + level.path("reserved").asLong())
                    .isEqualTo(10L);
        });
    }

    private interface Client {
        RawHttp.Reply call(int index);
    }

    /** One call per thread, all released at once by a latch; bounded in time. */
    private static List<RawHttp.Reply> concurrently(Client client) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch ready = new CountDownLatch(THREADS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<RawHttp.Reply>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int index = i;
                Callable<RawHttp.Reply> call = () -> {
                    ready.countDown();
                    go.await();
                    return client.call(index);
                };
                futures.add(pool.submit(call));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<RawHttp.Reply> replies = new ArrayList<>();
            for (Future<RawHttp.Reply> future : futures) {
                replies.add(future.get(60, TimeUnit.SECONDS));
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }
}
