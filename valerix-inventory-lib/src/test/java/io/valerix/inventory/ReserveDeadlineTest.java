package io.valerix.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.valerix.core.deadline.Deadline;
import io.valerix.core.testing.RawHttp;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reserve gives up at its deadline when the inventory database is slow (here: the stock row
 * locked by another connection, which H2 would otherwise wait 10 s for), and takes nothing. The
 * slack is generous so a loaded machine does not fail it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReserveDeadlineTest {

    private static final Duration BUDGET = Duration.ofMillis(300);
    private static final Duration SLACK = Duration.ofMillis(1500);

    @RegisterExtension
    final InventoryServerExtension inventory = InventoryServerExtension.withStock("widget=10");

    @Test
    void aReserveOnALockedStockRowGivesUpAtItsDeadlineAndTakesNothing() throws Exception {
        try (Connection blocker = lockStockRow()) {
            // When a reserve comes with a short deadline
            long start = System.nanoTime();
            assertThatThrownBy(() -> inventory.service().reserve("o-1", "widget", 2, Deadline.after(BUDGET)))
                    // Then it gives up by then, saying so
                    .isInstanceOf(InventoryDeadlineException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BUDGET.plus(SLACK));
            blocker.rollback();
        }
        // And nothing was taken or recorded
        assertThat(inventory.service().find("o-1").status()).isEqualTo(ReservationStatus.NOT_FOUND);
        assertThat(inventory.service().stockLevel("widget").orElseThrow().available())
                .isEqualTo(10);
    }

    @Test
    void overHttpTheCallersBudgetBoundsTheReserveAndTheAnswerIs504() throws Exception {
        try (Connection blocker = lockStockRow()) {
            // When a reserve arrives with 300 ms of budget left
            long start = System.nanoTime();
            RawHttp.Reply reply = InventoryHttp.reserve(
                    inventory.uri(), "o-2", "widget", 2, "Valerix-Budget-Ms", String.valueOf(BUDGET.toMillis()));

            // Then it is refused by then as deadline-exceeded, with nothing taken
            assertThat(reply.status()).as("%s", reply).isEqualTo(504);
            assertThat(reply.problemType()).isEqualTo("urn:valerix:problem:deadline-exceeded");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BUDGET.plus(SLACK));
            blocker.rollback();
        }
        assertThat(inventory.service().find("o-2").status()).isEqualTo(ReservationStatus.NOT_FOUND);
        assertThat(inventory.service().stockLevel("widget").orElseThrow().available())
                .isEqualTo(10);

        // And once the lock is gone the same reserve goes through
        assertThat(InventoryHttp.reserve(inventory.uri(), "o-2", "widget", 2).field("status"))
                .isEqualTo("RESERVED");
    }

    /** Another connection's open transaction holding the stock row of widget. */
    private Connection lockStockRow() throws Exception {
        Connection blocker = inventory.dataSource().getConnection();
        blocker.setAutoCommit(false);
        try (Statement s = blocker.createStatement()) {
            s.executeUpdate("UPDATE inventory_stock SET available = available WHERE sku = 'widget'");
        }
        return blocker;
    }
}
