package io.valerix.inventory;

import static io.valerix.inventory.ReservationStatus.CANCELLED;
import static io.valerix.inventory.ReservationStatus.RELEASED;
import static io.valerix.inventory.ReservationStatus.RESERVED;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.jdbc.H2Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release racing a reserve of the same order, on the real service and a real H2 database: both
 * orders of arrival must happen (the test counts them and keeps racing until each was seen), and
 * every round must end consistently.
 */
class ReleaseRacingReserveTest {

    /** Each order of arrival must be seen this often before the test believes it covered both. */
    private static final int EACH_AT_LEAST = 5;

    private static final int MAX_ROUNDS = 2_000;
    private static final Duration MAX_TIME = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private HikariDataSource db;
    private InventoryService inventory;

    @BeforeEach
    void openInventory() {
        db = H2Database.open(dir, "inventory", 8);
        inventory = InventoryService.create(
                db,
                InventoryConfig.builder().stock("widget=10").maxQuantity(100).build());
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }

    @Test
    void eitherOrderOfArrivalEndsReleasedOrCancelledAndEveryRoundConservesStock() throws Exception {
        int reserveFirst = 0;
        int releaseFirst = 0;
        int rounds = 0;
        long deadline = System.nanoTime() + MAX_TIME.toNanos();
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            while ((reserveFirst < EACH_AT_LEAST || releaseFirst < EACH_AT_LEAST)
                    && rounds < MAX_ROUNDS
                    && System.nanoTime() < deadline) {
                String orderId = "race-" + rounds;
                // A random head start of up to ~200 µs for either side, so both orders of arrival happen
                // on any machine, while most rounds still start at the same instant.
                long reserveDelay =
                        rounds % 2 == 0 ? ThreadLocalRandom.current().nextLong(200_000) : 0;
                long releaseDelay =
                        rounds % 2 == 1 ? ThreadLocalRandom.current().nextLong(200_000) : 0;
                Future<Reservation> reserve = pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    LockSupport.parkNanos(reserveDelay);
                    return inventory.reserve(orderId, "widget", 1);
                });
                Future<Reservation> release = pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    LockSupport.parkNanos(releaseDelay);
                    return inventory.release(orderId);
                });
                Reservation reserved = reserve.get(30, TimeUnit.SECONDS);
                Reservation released = release.get(30, TimeUnit.SECONDS);
                Reservation last = inventory.find(orderId);

                // The reserve came first: it took the stock, the release gave it back.
                // The release came first: it left a tombstone, and the reserve took nothing.
                if (reserved.status() == RESERVED) {
                    assertThat(released.status()).as("round %d", rounds).isEqualTo(RELEASED);
                    assertThat(last.status()).as("round %d", rounds).isEqualTo(RELEASED);
                    reserveFirst++;
                } else {
                    assertThat(reserved.status()).as("round %d", rounds).isEqualTo(CANCELLED);
                    assertThat(released.status()).as("round %d", rounds).isEqualTo(CANCELLED);
                    assertThat(last.status()).as("round %d", rounds).isEqualTo(CANCELLED);
                    releaseFirst++;
                }
                assertThat(inventory.stockLevel("widget"))
                        .as("round %d", rounds)
                        .contains(new StockLevel("widget", 10, 0, 10));
                rounds++;
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(reserveFirst)
                .as("rounds where the reserve came first, of %d", rounds)
                .isGreaterThanOrEqualTo(EACH_AT_LEAST);
        assertThat(releaseFirst)
                .as("rounds where the release came first, of %d", rounds)
                .isGreaterThanOrEqualTo(EACH_AT_LEAST);
    }
}
