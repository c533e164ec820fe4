package io.valerix.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.testing.DatabaseRows;
import io.valerix.core.testing.RawHttp;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reserve that reaches inventory after the order was cancelled there (the reconciler gave up on
 * it and left a tombstone) takes no stock: the real service on a real H2 database, in-process and
 * through its HTTP API with the reserve held on the wire while the cancel lands.
 */
class LateReserveTest {

    @TempDir
    Path dir;

    private HikariDataSource db;
    private InventoryServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aReserveAfterTheCancelAnswersCancelledAndTakesNoStock() {
        db = H2Database.open(dir, "inventory", 4);
        InventoryService inventory = InventoryService.create(
                db, InventoryConfig.builder().stock("widget=10").build());
        List<String> before = InventoryDatabase.snapshot(db);

        Reservation tombstone = inventory.release("o-1");
        Reservation late = inventory.reserve("o-1", "widget", 2);
        Reservation again = inventory.reserve("o-1", "widget", 2);

        assertThat(tombstone.status()).isEqualTo(ReservationStatus.CANCELLED);
        assertThat(late.status()).isEqualTo(ReservationStatus.CANCELLED);
        assertThat(again.status()).isEqualTo(ReservationStatus.CANCELLED);
        assertThat(inventory.find("o-1").status()).isEqualTo(ReservationStatus.CANCELLED);
        assertThat(inventory.stockLevel("widget")).contains(new StockLevel("widget", 10, 0, 10));
        assertThat(DatabaseRows.rows(db, "SELECT sku, available, total FROM inventory_stock"))
                .isEqualTo(before.subList(0, 1));
    }

    @Test
    void aReserveHeldOnTheWireWhileTheCancelLandsTakesNoStockWhenItArrives() throws Exception {
        // Given an inventory server whose reserve requests wait at the door until released
        CountDownLatch reserveAtTheDoor = new CountDownLatch(1);
        CountDownLatch letItIn = new CountDownLatch(1);
        db = H2Database.open(dir, "inventory", 4);
        server = InventoryServer.builder()
                .serviceToken(InventoryHttp.SERVICE_TOKEN)
                .dataSource(db)
                .stock("widget=10")
                .filter((request, next) -> {
                    if (request.route().equals("PUT /reservations/{orderId}")) {
                        reserveAtTheDoor.countDown();
                        if (!letItIn.await(30, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the test never let the reserve in");
                        }
                    }
                    return next.handle(request);
                })
                .build()
                .start();

        // When a reserve for o-1 is sent and reaches the server
        CompletableFuture<RawHttp.Reply> reserve = CompletableFuture.supplyAsync(
                () -> InventoryHttp.reserve(server.uri(), "o-1", "widget", 2, "Valerix-Budget-Ms", "30000"));
        assertThat(reserveAtTheDoor.await(30, TimeUnit.SECONDS)).isTrue();
        // And the order is cancelled before the reserve gets in
        RawHttp.Reply cancel = InventoryHttp.release(server.uri(), "o-1");
        letItIn.countDown();
        RawHttp.Reply late = reserve.get(30, TimeUnit.SECONDS);

        // Then the cancel left a tombstone, the late reserve was told CANCELLED, and no stock moved
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.json().path("status").asText()).isEqualTo("CANCELLED");
        assertThat(late.status()).as("%s", late).isEqualTo(200);
        assertThat(late.json().path("status").asText()).isEqualTo("CANCELLED");
        assertThat(InventoryHttp.find(server.uri(), "o-1").json().path("status").asText())
                .isEqualTo("CANCELLED");
        assertThat(InventoryHttp.stock(server.uri(), "widget")
                        .json()
                        .path("available")
                        .asInt())
                .isEqualTo(10);
        assertThat(DatabaseRows.rows(db, "SELECT order_id, sku, quantity, status FROM inventory_reservation"))
                .containsExactly("o-1|null|null|CANCELLED");
    }
}
