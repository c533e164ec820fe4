package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.deadline.Deadline;
import io.valerix.core.health.PrometheusExposition;
import io.valerix.core.jdbc.H2Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code valerix_orders{status}} counts the whole orders table, so scrapes reuse the last count for
 * at least {@link OrderMetrics#MIN_COUNT_INTERVAL} and twenty times that count's own cost. The clock
 * is a test clock: nothing here depends on how fast the machine is.
 */
class OrderMetricsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final ScriptedInventory inventory = new ScriptedInventory();
    /** Nanoseconds; each read also moves it on by {@link #perRead} (what a count "costs"). */
    private final AtomicLong now = new AtomicLong();

    private final AtomicLong perRead = new AtomicLong();
    private HikariDataSource db;
    private OrderService service;
    private OrderMetrics metrics;

    @BeforeEach
    void start() {
        db = H2Database.open(dir, "orders", 4);
        service = OrderService.builder()
                .dataSource(db)
                .inventory(new HttpInventoryClient(inventory.uri(), ServiceTokens.SERVICE_TOKEN, (d, r, o, n) -> {}))
                .timeout(TIMEOUT)
                .build();
        metrics =
                new OrderMetrics(service, OrderReconciler.builder(service).build(), () -> now.getAndAdd(perRead.get()));
    }

    @AfterEach
    void stop() {
        inventory.close();
        db.close();
    }

    @Test
    void scrapesWithinTheIntervalReuseTheLastCountAndTheNextScrapeAfterItCountsAgain() {
        // Given a scrape that counted no orders
        assertThat(confirmed()).isEqualTo("0");

        // When an order is confirmed and /metrics is scraped again at once, and then once the interval passed
        place("o-1");
        String soon = confirmed();
        now.addAndGet(OrderMetrics.MIN_COUNT_INTERVAL.toNanos());
        String later = confirmed();

        // Then the quick scrape reused the count, and the later one saw the order
        assertThat(soon).isEqualTo("0");
        assertThat(later).isEqualTo("1");
    }

    @Test
    void anExpensiveCountIsRepeatedOnlyAfterTwentyTimesItsCost() {
        // Given a count that took 200 ms (the clock moves 200 ms between its start and its end)
        perRead.set(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(confirmed()).isEqualTo("0");
        perRead.set(0);
        place("o-1");

        // When scrapes come 2 s and then 4.1 s after it
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(2_000));
        String afterTwoSeconds = confirmed();
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(2_100));
        String afterFourSeconds = confirmed();

        // Then the first still reused it (the next count is due 4 s after the last ended), the second counted
        assertThat(afterTwoSeconds).isEqualTo("0");
        assertThat(afterFourSeconds).isEqualTo("1");
    }

    private void place(String orderId) {
        PlacedOrder placed = service.place(orderId, "A", 1, Deadline.after(TIMEOUT));
        assertThat(placed.order().status()).isEqualTo(OrderStatus.CONFIRMED);
    }

    /** The value of {@code valerix_orders{status="CONFIRMED"}} on a freshly rendered page. */
    private String confirmed() {
        String page = PrometheusExposition.builder().source(metrics).build().render();
        return page.lines()
                .filter(line -> line.startsWith("valerix_orders{status=\"CONFIRMED\"}"))
                .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no CONFIRMED sample in:\n" + page));
    }
}
