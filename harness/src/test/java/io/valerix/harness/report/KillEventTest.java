package io.valerix.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a kill's time to recover is read from the client log. */
class KillEventTest {

    private final List<AttemptRecord> log = new ArrayList<>();

    private void attempt(
            String orderId, String kind, String instance, double sent, double end, int status, String orderStatus) {
        log.add(new AttemptRecord(
                log.size(),
                orderId,
                "widget",
                1,
                kind,
                1,
                "chaos",
                sent,
                sent,
                end,
                end - sent,
                status,
                orderStatus,
                status == 0 ? "transport: reset" : null,
                instance));
    }

    @Test
    void recoveryWaitsForTheFirstNewOrderThroughTheKilledInstanceAndTheFirstReplayOfAKeyInFlight() {
        attempt("in-flight", AttemptRecord.FIRST, "order-1", 900, 1000, 0, null); // cut by the kill at 1000
        attempt(
                "new-elsewhere",
                AttemptRecord.FIRST,
                "order-2",
                1100,
                1150,
                201,
                "CONFIRMED"); // another instance: not counted
        attempt("in-flight", AttemptRecord.RETRY, "order-2", 1200, 1300, 409, null); // still held by the dead claim
        attempt("new-here", AttemptRecord.FIRST, "order-1", 2000, 2100, 201, "CONFIRMED");
        attempt("in-flight", AttemptRecord.RETRY, "order-2", 2500, 2600, 200, "CONFIRMED");

        KillEvent k = KillEvent.measure("order", "order-1", 1000, 1900, log);

        assertThat(k.keysInFlight()).isEqualTo(1);
        assertThat(k.firstOrderMs()).isEqualTo(2100.0);
        assertThat(k.firstReplayMs()).isEqualTo(2600.0);
        assertThat(k.recoverMs()).as("the later of the two, from the kill").isEqualTo(1600.0);
    }

    @Test
    void aKillThatNeverRecoversInTheRunHasNoTimeToRecover() {
        attempt("in-flight", AttemptRecord.FIRST, null, 900, 1000, 0, null);
        attempt("new", AttemptRecord.FIRST, null, 2000, 2100, 201, "CONFIRMED");

        KillEvent k = KillEvent.measure("inventory", "inventory", 1000, 1500, log);

        assertThat(k.firstOrderMs()).isEqualTo(2100.0);
        assertThat(k.firstReplayMs()).isNull();
        assertThat(k.recoverMs()).as("its in-flight key was never answered").isNull();
    }

    @Test
    void aPendingAnswerIsNotASettledOrderButIsAnAnsweredReplay() {
        attempt("in-flight", AttemptRecord.FIRST, null, 900, 1000, 0, null);
        attempt("new", AttemptRecord.FIRST, null, 1200, 1300, 202, "PENDING");
        attempt("in-flight", AttemptRecord.RETRY, null, 1400, 1500, 202, "PENDING");
        attempt("later", AttemptRecord.FIRST, null, 1600, 1800, 201, "REJECTED");

        KillEvent k = KillEvent.measure("inventory", "inventory", 1000, 1100, log);

        assertThat(k.firstOrderMs()).isEqualTo(1800.0);
        assertThat(k.firstReplayMs()).isEqualTo(1500.0);
        assertThat(k.recoverMs()).isEqualTo(800.0);
    }
}
