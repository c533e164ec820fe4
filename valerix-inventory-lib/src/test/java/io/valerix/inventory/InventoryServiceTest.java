package io.valerix.inventory;

import static io.valerix.inventory.ReservationStatus.CANCELLED;
import static io.valerix.inventory.ReservationStatus.NOT_FOUND;
import static io.valerix.inventory.ReservationStatus.REJECTED;
import static io.valerix.inventory.ReservationStatus.RELEASED;
import static io.valerix.inventory.ReservationStatus.RESERVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.http.ProblemException;
import io.valerix.core.http.ProblemType;
import io.valerix.core.testing.DatabaseEngine;
import io.valerix.core.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The domain rules, in-process, on a real H2 file database. */
@ParameterizedClass
@EnumSource(DatabaseEngine.class)
class InventoryServiceTest {

    @Parameter
    DatabaseEngine engine;

    @TempDir
    Path dir;

    private TestDatabase database;
    HikariDataSource db;
    InventoryService inventory;

    @BeforeEach
    void openInventory() {
        database = engine.create(dir, "inventory");
        db = database.open(8);
        inventory = InventoryService.create(
                db,
                InventoryConfig.builder()
                        .stock("widget=10,gadget=3")
                        .maxQuantity(100)
                        .build());
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }

    @Test
    void reserveTakesStockAndIsRecorded() {
        Reservation answer = inventory.reserve("o-1", "widget", 4);

        assertThat(answer).isEqualTo(new Reservation("o-1", "widget", 4, RESERVED));
        assertThat(inventory.find("o-1")).isEqualTo(answer);
        assertThat(inventory.stockLevel("widget")).contains(new StockLevel("widget", 6, 4, 10));
    }

    @Test
    void repeatedReserveAnswersTheSameAndLeavesStockAlone() {
        inventory.reserve("o-1", "widget", 4);

        Reservation again = inventory.reserve("o-1", "widget", 4);

        assertThat(again.status()).isEqualTo(RESERVED);
        assertThat(inventory.stockLevel("widget").orElseThrow().available()).isEqualTo(6);
    }

    @Test
    void rejectionIsRecordedSoARetryIsRejectedEvenAfterStockComesBack() {
        inventory.reserve("holder", "gadget", 3);
        assertThat(inventory.reserve("o-1", "gadget", 2).status()).isEqualTo(REJECTED);

        inventory.release("holder");
        Reservation retry = inventory.reserve("o-1", "gadget", 2);

        assertThat(retry.status()).isEqualTo(REJECTED);
        assertThat(inventory.stockLevel("gadget")).contains(new StockLevel("gadget", 3, 0, 3));
    }

    @Test
    void sameOrderWithAnotherQuantityOrSkuIsAConflictAndChangesNothing() {
        inventory.reserve("o-1", "widget", 4);
        List<String> before = InventoryDatabase.snapshot(db);

        assertProblem(() -> inventory.reserve("o-1", "widget", 5), InventoryProblems.RESERVATION_CONFLICT);
        assertProblem(() -> inventory.reserve("o-1", "gadget", 4), InventoryProblems.RESERVATION_CONFLICT);

        assertThat(InventoryDatabase.snapshot(db)).isEqualTo(before);
    }

    @Test
    void releaseGivesStockBackOnceHoweverOftenItIsCalled() {
        inventory.reserve("o-1", "widget", 4);

        assertThat(inventory.release("o-1").status()).isEqualTo(RELEASED);
        assertThat(inventory.release("o-1").status()).isEqualTo(RELEASED);

        assertThat(inventory.stockLevel("widget")).contains(new StockLevel("widget", 10, 0, 10));
        assertThat(inventory.find("o-1")).isEqualTo(new Reservation("o-1", "widget", 4, RELEASED));
    }

    @Test
    void reserveAfterReleaseAnswersReleasedAndTakesNothing() {
        inventory.reserve("o-1", "widget", 4);
        inventory.release("o-1");

        assertThat(inventory.reserve("o-1", "widget", 4).status()).isEqualTo(RELEASED);
        assertThat(inventory.stockLevel("widget").orElseThrow().available()).isEqualTo(10);
    }

    @Test
    void releaseBeforeReserveLeavesATombstoneAndTheLateReserveTakesNothing() {
        Reservation cancel = inventory.release("o-1");

        Reservation late = inventory.reserve("o-1", "widget", 4);

        assertThat(cancel).isEqualTo(new Reservation("o-1", null, 0, CANCELLED));
        assertThat(late).isEqualTo(new Reservation("o-1", "widget", 4, CANCELLED));
        assertThat(inventory.find("o-1")).isEqualTo(new Reservation("o-1", null, 0, CANCELLED));
        assertThat(inventory.stockLevel("widget")).contains(new StockLevel("widget", 10, 0, 10));
    }

    @Test
    void releasingARejectedReservationChangesNothing() {
        inventory.reserve("o-1", "gadget", 4);
        List<String> before = InventoryDatabase.snapshot(db);

        assertThat(inventory.release("o-1").status()).isEqualTo(REJECTED);

        assertThat(InventoryDatabase.snapshot(db)).isEqualTo(before);
    }

    @Test
    void findAnswersNotFoundForAnOrderNeverSeen() {
        assertThat(inventory.find("never")).isEqualTo(Reservation.notFound("never"));
        assertThat(inventory.find("never").status()).isEqualTo(NOT_FOUND);
    }

    @Test
    void badInputIsRefusedWithItsProblemTypeAndWritesNothing() {
        List<String> before = InventoryDatabase.snapshot(db);

        assertProblem(() -> inventory.reserve("bad id", "widget", 1), InventoryProblems.INVALID_ORDER_ID);
        assertProblem(() -> inventory.reserve("x".repeat(256), "widget", 1), InventoryProblems.INVALID_ORDER_ID);
        assertProblem(() -> inventory.reserve(null, "widget", 1), InventoryProblems.INVALID_ORDER_ID);
        assertProblem(() -> inventory.reserve("o-1", "wid get", 1), InventoryProblems.INVALID_SKU);
        assertProblem(() -> inventory.reserve("o-1", "w".repeat(65), 1), InventoryProblems.INVALID_SKU);
        assertProblem(() -> inventory.reserve("o-1", "nothing", 1), InventoryProblems.UNKNOWN_SKU);
        assertProblem(() -> inventory.reserve("o-1", "widget", 0), InventoryProblems.INVALID_QUANTITY);
        assertProblem(() -> inventory.reserve("o-1", "widget", -1), InventoryProblems.INVALID_QUANTITY);
        assertProblem(() -> inventory.reserve("o-1", "widget", 101), InventoryProblems.INVALID_QUANTITY);
        assertProblem(() -> inventory.release("o/1"), InventoryProblems.INVALID_ORDER_ID);
        assertProblem(() -> inventory.find(""), InventoryProblems.INVALID_ORDER_ID);
        assertProblem(() -> inventory.stockLevel("a+b"), InventoryProblems.INVALID_SKU);

        assertThat(InventoryDatabase.snapshot(db)).isEqualTo(before);
    }

    @Test
    void longestValidOrderIdAndSkuAreAccepted() {
        String orderId = "A-z0.9_:".repeat(31) + "1234567";
        assertThat(orderId).hasSize(255);

        InventoryService wide = InventoryService.create(
                db, InventoryConfig.builder().stock("S".repeat(64), 1).build());

        assertThat(wide.reserve(orderId, "S".repeat(64), 1).status()).isEqualTo(RESERVED);
    }

    @Test
    void seedingAgainNeverResetsStockAndAddsOnlyNewSkus() {
        inventory.reserve("o-1", "widget", 4);

        InventoryService restarted = InventoryService.create(
                db, InventoryConfig.builder().stock("widget=500,gizmo=7").build());

        assertThat(restarted.stockLevels())
                .containsExactly(
                        new StockLevel("gadget", 3, 0, 3),
                        new StockLevel("gizmo", 7, 0, 7),
                        new StockLevel("widget", 6, 4, 10));
    }

    @Test
    void concurrentReservesOfOneOrderTakeStockOnceAndAllAnswerTheSame() throws Exception {
        List<Reservation> answers = runConcurrently(16, i -> inventory.reserve("o-1", "widget", 2));

        assertThat(answers).containsOnly(new Reservation("o-1", "widget", 2, RESERVED));
        assertThat(inventory.stockLevel("widget")).contains(new StockLevel("widget", 8, 2, 10));
    }

    @Test
    void concurrentReleasesGiveStockBackOnce() throws Exception {
        inventory.reserve("o-1", "widget", 4);

        List<Reservation> answers = runConcurrently(16, i -> inventory.release("o-1"));

        assertThat(answers).extracting(Reservation::status).containsOnly(RELEASED);
        assertThat(inventory.stockLevel("widget")).contains(new StockLevel("widget", 10, 0, 10));
    }

    private interface Call {
        Reservation call(int index) throws Exception;
    }

    /** Runs {@code threads} calls released at once by a latch, bounded in time. */
    private static List<Reservation> runConcurrently(int threads, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Reservation>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.call(index);
                }));
            }
            go.countDown();
            List<Reservation> answers = new java.util.ArrayList<>();
            for (Future<Reservation> future : futures) {
                answers.add(future.get(30, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertProblem(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ProblemType type) {
        assertThatThrownBy(call)
                .isInstanceOf(ProblemException.class)
                .satisfies(
                        e -> assertThat(((ProblemException) e).problem().type()).isEqualTo(type.type()));
    }
}
