package io.valerix.harness.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.harness.chaos.DatabaseSnapshot.OrderRow;
import io.valerix.harness.chaos.DatabaseSnapshot.ReservationRow;
import io.valerix.harness.chaos.DatabaseSnapshot.StockRow;
import io.valerix.harness.report.AttemptRecord;
import io.valerix.harness.report.Verdict;
import io.valerix.harness.report.Verdict.Finding;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker on hand-made histories: each anomaly is found, named and counted, and a clean history passes. */
class ConsistencyCheckerTest {

    private final List<AttemptRecord> log = new ArrayList<>();
    private final List<OrderRow> orders = new ArrayList<>();
    private final List<ReservationRow> reservations = new ArrayList<>();
    private final List<StockRow> before =
            new ArrayList<>(List.of(new StockRow("widget", 10, 0, 10), new StockRow("gizmo", 2, 0, 2)));
    private final List<StockRow> after = new ArrayList<>();
    private double clock;

    private void told(String orderId, String sku, int quantity, int status, String orderStatus) {
        clock += 10;
        log.add(new AttemptRecord(
                log.size(),
                orderId,
                sku,
                quantity,
                AttemptRecord.FIRST,
                1,
                "chaos",
                clock,
                clock,
                clock + 5,
                5,
                status,
                orderStatus,
                status == 0 ? "timeout" : null));
    }

    private Verdict check() {
        return ConsistencyChecker.check(log, new DatabaseSnapshot(orders, reservations, before, after));
    }

    /** A consistent world: widget 3 taken by two confirmed orders, one rejected gizmo, one order the client never heard of. */
    private void consistentRun() {
        told("r-1", "widget", 1, 201, "CONFIRMED");
        told("r-2", "widget", 2, 202, "PENDING");
        told("r-2", "widget", 2, 200, "CONFIRMED");
        told("r-3", "gizmo", 3, 201, "REJECTED");
        told("r-4", "gizmo", 1, 0, null);
        orders.addAll(List.of(
                new OrderRow("r-1", "widget", 1, "CONFIRMED"),
                new OrderRow("r-2", "widget", 2, "CONFIRMED"),
                new OrderRow("r-3", "gizmo", 3, "REJECTED"),
                new OrderRow("r-4", "gizmo", 1, "FAILED")));
        reservations.addAll(List.of(
                new ReservationRow("r-1", "widget", 1, "RESERVED"),
                new ReservationRow("r-2", "widget", 2, "RESERVED"),
                new ReservationRow("r-3", "gizmo", 3, "REJECTED"),
                new ReservationRow("r-4", null, 0, "CANCELLED")));
        after.addAll(List.of(new StockRow("widget", 7, 3, 10), new StockRow("gizmo", 2, 0, 2)));
    }

    @Test
    void aConsistentHistoryPasses() {
        consistentRun();

        Verdict verdict = check();

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.findings()).isEmpty();
        assertThat(verdict.intents()).isEqualTo(4);
        assertThat(verdict.orders()).isEqualTo(4);
        assertThat(verdict.outcomes())
                .containsEntry("confirmed", 1L)
                .containsEntry("pendingThenSettled", 1L)
                .containsEntry("rejected", 1L)
                .containsEntry("noAnswer", 1L)
                .containsEntry("ordersFailed", 1L);
    }

    @Test
    void aConfirmedOrderThatVanishedIsLost() {
        consistentRun();
        orders.removeIf(o -> o.orderId().equals("r-1"));

        Verdict verdict = check();

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.lost()).isEqualTo(1);
        assertThat(verdict.findings())
                .extracting(Finding::category, Finding::subject)
                .contains(org.assertj.core.groups.Tuple.tuple("lost", "r-1"));
        // Its reservation is still held for an order that no longer exists.
        assertThat(verdict.disagreements()).isEqualTo(1);
    }

    @Test
    void anOrderTheClientNeverHeardAboutMayBeMissing() {
        consistentRun();
        orders.removeIf(o -> o.orderId().equals("r-4"));
        reservations.removeIf(r -> r.orderId().equals("r-4"));

        assertThat(check().passed()).isTrue();
    }

    @Test
    void aConfirmationWithoutReservationIsLostAndADisagreement() {
        consistentRun();
        reservations.removeIf(r -> r.orderId().equals("r-2"));
        after.set(0, new StockRow("widget", 9, 1, 10));

        Verdict verdict = check();

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.name()).isEqualTo("FAIL");
        assertThat(verdict.lost()).isEqualTo(1);
        assertThat(verdict.disagreements()).isEqualTo(1);
        assertThat(verdict.unconserved()).isZero();
    }

    @Test
    void reservationsUnderIdsNobodyOrderedWithAreDuplicates() {
        consistentRun();
        reservations.add(new ReservationRow("r-1-dup1", "widget", 1, "RESERVED"));
        orders.add(new OrderRow("r-99", "widget", 1, "REJECTED"));
        after.set(0, new StockRow("widget", 6, 4, 10));

        Verdict verdict = check();

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.name()).isEqualTo("FAIL");
        assertThat(verdict.duplicated()).isEqualTo(2);
        assertThat(verdict.findings()).extracting(Finding::subject).contains("r-1-dup1", "r-99");
        assertThat(verdict.unconserved()).isZero();
    }

    @Test
    void stockEditedBehindTheServicesBackIsUnconserved() {
        consistentRun();
        after.set(0, new StockRow("widget", 9, 3, 10));

        Verdict verdict = check();

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.name()).isEqualTo("FAIL");
        assertThat(verdict.unconserved()).isEqualTo(1);
        assertThat(verdict.findings()).extracting(Finding::subject).containsExactly("widget");
    }

    @Test
    void stockTakenWithoutAReservationIsUnconserved() {
        consistentRun();
        after.set(0, new StockRow("widget", 5, 5, 10));

        Verdict verdict = check();

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.name()).isEqualTo("FAIL");
        assertThat(verdict.unconserved()).isEqualTo(1);
    }

    @Test
    void moreReservedThanThereWasIsOversold() {
        consistentRun();
        reservations.add(new ReservationRow("r-5", "gizmo", 3, "RESERVED"));
        orders.add(new OrderRow("r-5", "gizmo", 3, "CONFIRMED"));
        told("r-5", "gizmo", 3, 201, "CONFIRMED");
        after.set(1, new StockRow("gizmo", -1, 3, 2));

        Verdict verdict = check();

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.name()).isEqualTo("FAIL");
        assertThat(verdict.oversold()).isEqualTo(1);
    }

    @Test
    void pendingOrdersAndFailedOrdersHoldingStockAreCounted() {
        consistentRun();
        orders.set(3, new OrderRow("r-4", "gizmo", 1, "PENDING"));
        orders.set(2, new OrderRow("r-3", "gizmo", 3, "REJECTED"));
        reservations.set(2, new ReservationRow("r-3", "gizmo", 3, "RESERVED"));

        Verdict verdict = check();

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.name()).isEqualTo("FAIL");
        assertThat(verdict.pending()).isEqualTo(1);
        assertThat(verdict.disagreements()).isEqualTo(1);
        assertThat(verdict.findings()).extracting(Finding::category).contains("pending", "disagreements");
    }

    @Test
    void anOrderTheClientWasToldWasRejectedButIsConfirmedIsADisagreement() {
        consistentRun();
        orders.set(2, new OrderRow("r-3", "gizmo", 3, "CONFIRMED"));
        reservations.set(2, new ReservationRow("r-3", "gizmo", 3, "RESERVED"));
        before.set(1, new StockRow("gizmo", 5, 0, 5));
        after.set(1, new StockRow("gizmo", 2, 3, 5));

        Verdict verdict = check();

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.name()).isEqualTo("FAIL");
        assertThat(verdict.disagreements()).isEqualTo(1);
        assertThat(verdict.lost()).isZero();
    }
}
