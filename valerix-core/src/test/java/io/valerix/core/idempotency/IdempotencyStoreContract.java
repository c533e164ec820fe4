package io.valerix.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.idempotency.IdempotencyRecord.State;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** What every {@link IdempotencyStore} must do; each implementation's test extends this. */
abstract class IdempotencyStoreContract {

    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final String SCOPE = "POST /orders";
    static final String FINGERPRINT = "a".repeat(64);

    abstract IdempotencyStore store();

    IdempotencyRecord claim(String key, Instant now) {
        IdempotencyStore store = store();
        return IdempotencyRecord.inProgress(
                SCOPE, key, FINGERPRINT, store.nextFencingToken(), now, now.plusSeconds(30));
    }

    static StoredResponse answer(String body) {
        return new StoredResponse(
                201,
                Map.of("Content-Type", List.of("application/json"), "Location", List.of("/orders/1")),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void insertClaimsAFreeKeyAndRefusesATakenOne() {
        IdempotencyRecord first = claim("k1", T0);
        IdempotencyRecord second = claim("k1", T0);

        assertThat(store().insert(first)).isTrue();
        assertThat(store().insert(second)).isFalse();
        assertThat(store().find(SCOPE, "k1")).contains(first);
    }

    @Test
    void theSameKeyInTwoScopesIsTwoRecords() {
        IdempotencyRecord orders = claim("k1", T0);
        IdempotencyRecord payments = IdempotencyRecord.inProgress(
                "POST /payments", "k1", FINGERPRINT, store().nextFencingToken(), T0, T0.plusSeconds(30));

        assertThat(store().insert(orders)).isTrue();
        assertThat(store().insert(payments)).isTrue();
        assertThat(store().find("POST /payments", "k1")).contains(payments);
    }

    @Test
    void aCompletedRecordIsReadBackWithItsAnswerByteForByte() {
        IdempotencyRecord claimed = claim("k1", T0);
        store().insert(claimed);
        IdempotencyRecord completed =
                claimed.completed(answer("{\"id\":1}"), T0.plusMillis(5), T0.plus(Duration.ofHours(24)));

        assertThat(store().replace(claimed.fencingToken(), completed)).isTrue();

        IdempotencyRecord read = store().find(SCOPE, "k1").orElseThrow();
        assertThat(read).isEqualTo(completed);
        assertThat(read.response().header("location")).isEqualTo("/orders/1");
        assertThat(new String(read.response().body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":1}");
    }

    @Test
    void aFinisherWhoseClaimWasTakenOverCannotOverwriteTheNewerOne() {
        IdempotencyRecord original = claim("k1", T0);
        store().insert(original);
        IdempotencyRecord takenOver = original.claimedAgain(store().nextFencingToken(), T0.plusSeconds(60));
        assertThat(store().replace(original.fencingToken(), takenOver)).isTrue();

        boolean lateWrite = store().replace(
                        original.fencingToken(),
                        original.completed(answer("late"), T0.plusSeconds(40), T0.plusSeconds(99)));
        boolean lateDelete = store().delete(SCOPE, "k1", original.fencingToken());

        assertThat(lateWrite).isFalse();
        assertThat(lateDelete).isFalse();
        assertThat(store().find(SCOPE, "k1")).contains(takenOver);
    }

    @Test
    void twoTakersOfOneClaimCannotBothWin() {
        IdempotencyRecord original = claim("k1", T0);
        store().insert(original);

        boolean first = store().replace(
                        original.fencingToken(), original.claimedAgain(store().nextFencingToken(), T0.plusSeconds(60)));
        boolean second = store().replace(
                        original.fencingToken(), original.claimedAgain(store().nextFencingToken(), T0.plusSeconds(60)));

        assertThat(first).isTrue();
        assertThat(second).isFalse();
    }

    @Test
    void aFinisherCannotTouchAKeyThatWasReleasedAndClaimedAfresh() {
        IdempotencyRecord original = claim("k1", T0);
        store().insert(original);
        store().releaseExpiredClaims(T0.plusSeconds(31), 10);
        IdempotencyRecord fresh = claim("k1", T0.plusSeconds(32));
        store().insert(fresh);

        boolean lateWrite = store().replace(
                        original.fencingToken(),
                        original.completed(answer("late"), T0.plusSeconds(40), T0.plusSeconds(99)));

        assertThat(lateWrite).isFalse();
        assertThat(store().find(SCOPE, "k1")).contains(fresh);
    }

    @Test
    void fencingTokensIncreaseAndAreNeverReused() {
        long a = store().nextFencingToken();
        long b = store().nextFencingToken();
        long c = store().nextFencingToken();

        assertThat(a).isPositive();
        assertThat(b).isGreaterThan(a);
        assertThat(c).isGreaterThan(b);
    }

    @Test
    void deleteNeedsTheCurrentFencingToken() {
        IdempotencyRecord claimed = claim("k1", T0);
        store().insert(claimed);

        assertThat(store().delete(SCOPE, "k1", claimed.fencingToken() + 1000)).isFalse();
        assertThat(store().delete(SCOPE, "k1", claimed.fencingToken())).isTrue();
        assertThat(store().find(SCOPE, "k1")).isEmpty();
    }

    @Test
    void purgeDeletesOnlyFinishedRecordsWhoseRetentionEndedAndAtMostTheLimit() {
        Instant expiry = T0.plus(Duration.ofHours(24));
        for (String key : List.of("old-1", "old-2", "old-3")) {
            IdempotencyRecord claimed = claim(key, T0);
            store().insert(claimed);
            store().replace(claimed.fencingToken(), claimed.completed(answer(key), T0, expiry));
        }
        IdempotencyRecord pending = claim("pending", T0);
        store().insert(pending);
        store().replace(pending.fencingToken(), pending.pendingResult(T0, expiry));
        IdempotencyRecord young = claim("young", T0);
        store().insert(young);
        store().replace(
                        young.fencingToken(),
                        young.completed(answer("young"), T0.plusSeconds(10), expiry.plusSeconds(10)));
        IdempotencyRecord running = claim("running", T0);
        store().insert(running);

        int firstBatch = store().purgeExpired(expiry, 2);
        int secondBatch = store().purgeExpired(expiry, 2);

        assertThat(firstBatch).isEqualTo(2);
        assertThat(secondBatch).isEqualTo(2);
        assertThat(store().find(SCOPE, "young")).isPresent();
        assertThat(store().find(SCOPE, "running")).isPresent();
        for (String key : List.of("old-1", "old-2", "old-3", "pending")) {
            assertThat(store().find(SCOPE, key)).as(key).isEmpty();
        }
    }

    @Test
    void releasingExpiredClaimsLeavesLiveClaimsAndFinishedRecords() {
        IdempotencyRecord expired = claim("expired", T0);
        IdempotencyRecord live = claim("live", T0.plusSeconds(20));
        IdempotencyRecord done = claim("done", T0);
        store().insert(expired);
        store().insert(live);
        store().insert(done);
        store().replace(done.fencingToken(), done.completed(answer("done"), T0.plusSeconds(1), T0.plusSeconds(2)));

        int released = store().releaseExpiredClaims(T0.plusSeconds(30), 10);

        assertThat(released).isEqualTo(1);
        assertThat(store().find(SCOPE, "expired")).isEmpty();
        assertThat(store().find(SCOPE, "live")).map(IdempotencyRecord::state).contains(State.IN_PROGRESS);
        assertThat(store().find(SCOPE, "done")).map(IdempotencyRecord::state).contains(State.COMPLETED);
    }

    @Test
    void manyConcurrentInsertsOfOneKeyHaveExactlyOneWinner() throws Exception {
        int threads = 16;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    IdempotencyRecord mine = claim("contended", T0);
                    start.await();
                    return store().insert(mine);
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> result : results) {
                winners += result.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aHolderRoundTripsThroughAnInProgressRecordAndIsDroppedWhenItFinishes() {
        LeaseHolder holder = store().register("instance-a");
        IdempotencyRecord held = claim("k1", T0).heldBy(holder);
        store().insert(held);

        assertThat(store().find(SCOPE, "k1").orElseThrow().holder()).isEqualTo(holder);
        IdempotencyRecord done = held.completed(answer("{}"), T0, T0.plusSeconds(60));
        assertThat(store().replace(held.fencingToken(), done)).isTrue();
        assertThat(store().find(SCOPE, "k1").orElseThrow().holder()).isNull();
    }

    @Test
    void aRestartUnderTheSameInstanceIdRetiresTheEarlierIncarnationOnly() {
        LeaseHolder first = store().register("instance-a");
        LeaseHolder neighbour = store().register("instance-b");

        LeaseHolder restarted = store().register("instance-a");

        assertThat(restarted.epoch()).isGreaterThan(first.epoch());
        assertThat(store().isAlive(first, Duration.ofMinutes(5))).isFalse();
        assertThat(store().beat(first)).isFalse();
        assertThat(store().isAlive(restarted, Duration.ofMinutes(5))).isTrue();
        assertThat(store().isAlive(neighbour, Duration.ofMinutes(5))).isTrue();
    }

    @Test
    void aHolderThatStopsBeatingIsDeadOnceItsHeartbeatIsOlderThanTheTimeoutAndABeatRevivesIt() {
        LeaseHolder holder = store().register("instance-a");
        Duration timeout = Duration.ofMillis(30);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !store().isAlive(holder, timeout));
        boolean beat = store().beat(holder);

        assertThat(beat).isTrue();
        assertThat(store().isAlive(holder, Duration.ofMinutes(5))).isTrue();
    }

    @Test
    void aRetiredHolderIsDeadAtOnce() {
        LeaseHolder holder = store().register("instance-a");

        store().retire(holder);

        assertThat(store().isAlive(holder, Duration.ofMinutes(5))).isFalse();
    }
}
