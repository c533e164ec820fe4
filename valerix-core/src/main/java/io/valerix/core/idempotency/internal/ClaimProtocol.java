package io.valerix.core.idempotency.internal;

import io.valerix.core.idempotency.IdempotencyConfig;
import io.valerix.core.idempotency.IdempotencyRecord;
import io.valerix.core.idempotency.IdempotencyRecord.State;
import io.valerix.core.idempotency.IdempotencyStore;
import io.valerix.core.idempotency.LeaseHolder;
import io.valerix.core.idempotency.StoredResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may hold an idempotency key, decided only with the store's atomic primitives so it is
 * correct across instances sharing one store.
 *
 * <ul>
 *   <li>Claim: insert a fresh {@code IN_PROGRESS} record; the unique key lets one request win.
 *   <li>Take over: a {@code PENDING_RESULT} record, or an {@code IN_PROGRESS} one whose lease
 *       expired or whose holder is dead (no fresh heartbeat), is replaced by a claim with a new
 *       fencing token, on the condition that it still carries the token read; of several takers one wins, the others look again.
 *   <li>Finish: complete, mark pending or release, each on the condition that the record still
 *       carries the claim's token, so a finisher whose claim was taken over changes nothing.
 * </ul>
 *
 * <p>Thread-safe; it holds no state of its own.
 */
final class ClaimProtocol {

    private static final Logger log = LoggerFactory.getLogger(ClaimProtocol.class);

    /**
     * Each lost race means another request changed the record in between; a few rounds settle any
     * real contention, and a request that still finds no stable state is told the key is busy.
     */
    private static final int MAX_ROUNDS = 5;

    /** The outcome of trying to claim a key. */
    sealed interface Outcome permits Claimed, Replay, Mismatch, Busy {}

    /** This request holds the key; {@code previous} is the record it took over, or null if it was free. */
    record Claimed(IdempotencyRecord record, IdempotencyRecord previous) implements Outcome {}

    /** The same request already finished with a final answer. */
    record Replay(IdempotencyRecord record) implements Outcome {}

    /** The key belongs to a different request. */
    record Mismatch(IdempotencyRecord record) implements Outcome {}

    /** The same request is still running elsewhere and its lease holds. */
    record Busy() implements Outcome {}

    private final IdempotencyStore store;
    private final IdempotencyConfig config;
    private final Supplier<LeaseHolder> holder;

    ClaimProtocol(IdempotencyStore store, IdempotencyConfig config, Supplier<LeaseHolder> holder) {
        this.store = store;
        this.config = config;
        this.holder = holder;
    }

    /**
     * The holder to ask about before {@code record} ({@code IN_PROGRESS}, lease running) may be taken
     * over: the one it names, unless that is {@code self} (alive by definition) or none (only the
     * lease decides). Asking costs a read, paid only when a key is busy.
     */
    static LeaseHolder holderToAsk(IdempotencyRecord record, LeaseHolder self) {
        LeaseHolder holder = record.holder();
        return holder == null || holder.equals(self) ? null : holder;
    }

    /** The log line for a takeover of an {@code IN_PROGRESS} claim, which means its holder crashed or hung. */
    static void logTakeover(IdempotencyRecord previous, IdempotencyRecord taken, Instant now) {
        String why = previous.leaseExpiresAt().isAfter(now)
                ? "its holder " + previous.holder() + " stopped heartbeating or was restarted"
                : "its lease expired; its holder " + (previous.holder() == null ? "" : previous.holder() + " ")
                        + "may have crashed";
        log.warn(
                "took over the claim of '{}' in {} (fencing token {} -> {}): {}",
                previous.key(),
                previous.scope(),
                previous.fencingToken(),
                taken.fencingToken(),
                why);
    }

    Outcome begin(String scope, String key, String fingerprint) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Instant now = now();
            LeaseHolder self = holder.get();
            IdempotencyRecord fresh = IdempotencyRecord.inProgress(
                            scope, key, fingerprint, store.nextFencingToken(), now, now.plus(config.lease()))
                    .heldBy(self);
            if (store.insert(fresh)) {
                return new Claimed(fresh, null);
            }
            Optional<IdempotencyRecord> found = store.find(scope, key);
            if (found.isEmpty()) {
                continue; // released or purged between our insert and our read: the key may be free now
            }
            IdempotencyRecord current = found.get();
            if (!current.fingerprint().equals(fingerprint)) {
                return new Mismatch(current);
            }
            if (current.state() == State.COMPLETED) {
                return new Replay(current);
            }
            if (current.state() == State.IN_PROGRESS && isHeld(current, now, self)) {
                return new Busy();
            }
            IdempotencyRecord taken = current.claimedAgain(store.nextFencingToken(), now.plus(config.lease()))
                    .heldBy(self);
            if (store.replace(current.fencingToken(), taken)) {
                if (current.state() == State.IN_PROGRESS) {
                    logTakeover(current, taken, now);
                }
                return new Claimed(taken, current);
            }
            // Another request took it over or its holder finished in between: look again.
        }
        return new Busy();
    }

    /** Whether {@code current} ({@code IN_PROGRESS}) still binds its key: its lease runs and its holder lives. */
    private boolean isHeld(IdempotencyRecord current, Instant now, LeaseHolder self) {
        if (!current.leaseExpiresAt().isAfter(now)) {
            return false;
        }
        LeaseHolder other = holderToAsk(current, self);
        return other == null || store.isAlive(other, config.heartbeatTimeout());
    }

    /** Stores the final answer; false if the claim was taken over meanwhile. */
    boolean complete(Claimed claim, StoredResponse answer) {
        Instant now = now();
        IdempotencyRecord held = claim.record();
        return store.replace(held.fencingToken(), held.completed(answer, now, now.plus(config.retention())));
    }

    /** Marks the answer not final; false if the claim was taken over meanwhile. */
    boolean completePending(Claimed claim) {
        Instant now = now();
        IdempotencyRecord held = claim.record();
        return store.replace(held.fencingToken(), held.pendingResult(now, now.plus(config.retention())));
    }

    /**
     * Gives the key back: deleted, so a retry starts afresh, unless this claim re-ran a pending
     * request, whose record goes back to {@code PENDING_RESULT} (the key stays bound to its
     * request). False if the claim was taken over meanwhile.
     */
    boolean release(Claimed claim) {
        IdempotencyRecord held = claim.record();
        if (claim.previous() != null && claim.previous().state() == State.PENDING_RESULT) {
            return store.replace(held.fencingToken(), claim.previous().withFencingToken(held.fencingToken()));
        }
        return store.delete(held.scope(), held.key(), held.fencingToken());
    }

    /** Stores keep microseconds; truncating here means what is read back equals what was written. */
    private Instant now() {
        return config.clock().instant().truncatedTo(ChronoUnit.MICROS);
    }
}
