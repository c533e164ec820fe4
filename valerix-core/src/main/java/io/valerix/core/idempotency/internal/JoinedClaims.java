package io.valerix.core.idempotency.internal;

import io.valerix.core.http.Problem;
import io.valerix.core.http.ProblemException;
import io.valerix.core.http.ProblemType;
import io.valerix.core.http.Request;
import io.valerix.core.http.ValerixHeaders;
import io.valerix.core.idempotency.IdempotencyConfig;
import io.valerix.core.idempotency.IdempotencyProblems;
import io.valerix.core.idempotency.IdempotencyRecord;
import io.valerix.core.idempotency.IdempotencyRecord.State;
import io.valerix.core.idempotency.LeaseHolder;
import io.valerix.core.idempotency.internal.ClaimProtocol.Busy;
import io.valerix.core.idempotency.internal.ClaimProtocol.Claimed;
import io.valerix.core.idempotency.internal.ClaimProtocol.Mismatch;
import io.valerix.core.idempotency.internal.ClaimProtocol.Outcome;
import io.valerix.core.idempotency.internal.ClaimProtocol.Replay;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filter's side of a joined claim: one read of the key's record, within the request's
 * deadline, that says whether the handler may run (and claim) or what to answer instead; or, on a
 * request's first try, no read at all ({@link #unchecked}).
 */
final class JoinedClaims {

    private static final Logger log = LoggerFactory.getLogger(JoinedClaims.class);
    private static final long FIRST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /**
     * What the read found: {@link Claimed} (with a null record) means the handler may run and claim,
     * taking over {@code previous} if that is set; the other outcomes are answered at once.
     */
    record Check(Outcome outcome, IdempotencyRecord previous) {}

    private JoinedClaims() {}

    /**
     * Reads the key's record, waiting up to {@link IdempotencyConfig#inProgressWait()} (and never past
     * the request's deadline) while another request holds it.
     *
     * @throws ProblemException 503 {@code idempotency-store-unavailable} if the record could not be
     *     read in time
     */
    static Check check(
            JdbcIdempotencyStore store,
            IdempotencyConfig config,
            LeaseHolder self,
            Request request,
            String scope,
            String key,
            String fingerprint) {
        long start = config.nanoClock().nanoTime();
        long waitNanos =
                Math.min(config.inProgressWait().toNanos(), request.deadline().remainingNanos());
        long pause = FIRST_POLL_NANOS;
        while (true) {
            Instant now = now(config);
            Check check = decide(read(store, config, self, request, scope, key, now), fingerprint, now);
            long left = waitNanos - (config.nanoClock().nanoTime() - start);
            if (!(check.outcome() instanceof Busy) || left <= 0) {
                return check;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return check;
            }
            pause = Math.min(pause * 2, MAX_POLL_NANOS);
        }
    }

    /**
     * Lets the handler run and claim without reading the record first: its claim is an insert, which
     * fails if the key has a record, and the request then looks ({@link #check}) and tries again.
     * Only the deadline is checked, as {@link #check} checks it.
     */
    static Check unchecked(Request request) {
        requireTimeLeft(request);
        return new Check(new Claimed(null, null), null);
    }

    /** The key's record, if any, and (for a claim whose lease runs) whether its holder is alive. */
    private record Found(Optional<IdempotencyRecord> record, boolean holderAlive) {}

    private static Check decide(Found found, String fingerprint, Instant now) {
        if (found.record().isEmpty()) {
            return new Check(new Claimed(null, null), null);
        }
        IdempotencyRecord current = found.record().get();
        if (!current.fingerprint().equals(fingerprint)) {
            return new Check(new Mismatch(current), null);
        }
        if (current.state() == State.COMPLETED) {
            return new Check(new Replay(current), null);
        }
        if (current.state() == State.IN_PROGRESS && current.leaseExpiresAt().isAfter(now) && found.holderAlive()) {
            return new Check(new Busy(), null);
        }
        return new Check(new Claimed(null, current), current);
    }

    private static Found read(
            JdbcIdempotencyStore store,
            IdempotencyConfig config,
            LeaseHolder self,
            Request request,
            String scope,
            String key,
            Instant now) {
        requireTimeLeft(request);
        try {
            // Auto-commit: the record and its holder's heartbeat need no common snapshot, and a read
            // costs no BEGIN or COMMIT this way.
            return store.database().inAutoCommit(request.deadline(), c -> {
                Optional<IdempotencyRecord> record = store.find(c, scope, key);
                if (record.isEmpty()
                        || record.get().state() != State.IN_PROGRESS
                        || !record.get().leaseExpiresAt().isAfter(now)) {
                    return new Found(record, true);
                }
                LeaseHolder other = ClaimProtocol.holderToAsk(record.get(), self);
                return new Found(record, other == null || store.isAlive(c, other, config.heartbeatTimeout()));
            });
        } catch (SQLException | RuntimeException e) {
            log.warn(
                    "the idempotency store failed while checking '{}' in {}; answering 503 without running the request: {}",
                    key,
                    scope,
                    e.getMessage());
            throw new ProblemException(
                    Problem.of(
                            IdempotencyProblems.STORE_UNAVAILABLE,
                            "the request was not run because its idempotency key could not be checked in time; retry later"),
                    "1");
        }
    }

    /** A request whose deadline passed before it was served is answered at once, and nothing is run. */
    private static void requireTimeLeft(Request request) {
        if (!request.deadline().isExpired()) {
            return;
        }
        if (request.header(ValerixHeaders.BUDGET_MS).isPresent()) {
            // As the route would answer: the caller's own budget is gone, it has stopped waiting.
            throw ProblemType.DEADLINE_EXCEEDED.exception(
                    "the caller's deadline passed before " + request.route() + " started; nothing was done");
        }
        // The server's own bound passed while the request waited to be served: the server is
        // overloaded, and the client, still waiting, is told when to retry.
        throw new ProblemException(
                Problem.of(
                        ProblemType.OVERLOADED,
                        "the request waited its whole timeout before it could be served; nothing was done, retry"),
                "1");
    }

    private static Instant now(IdempotencyConfig config) {
        return config.clock().instant().truncatedTo(ChronoUnit.MICROS);
    }
}
