package io.valerix.core.idempotency.internal;

import io.valerix.core.http.Handler;
import io.valerix.core.http.Problem;
import io.valerix.core.http.ProblemException;
import io.valerix.core.http.Request;
import io.valerix.core.http.Response;
import io.valerix.core.idempotency.IdempotencyConfig;
import io.valerix.core.idempotency.IdempotencyProblems;
import io.valerix.core.idempotency.IdempotencyStore;
import io.valerix.core.idempotency.IdempotencyStoreException;
import io.valerix.core.idempotency.LeaseHolder;
import io.valerix.core.idempotency.ReplayMode;
import io.valerix.core.idempotency.internal.ClaimProtocol.Busy;
import io.valerix.core.idempotency.internal.ClaimProtocol.Claimed;
import io.valerix.core.idempotency.internal.ClaimProtocol.Mismatch;
import io.valerix.core.idempotency.internal.ClaimProtocol.Outcome;
import io.valerix.core.idempotency.internal.ClaimProtocol.Replay;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a guarded request's handler at most once per key and request: claims the key, runs the
 * handler, then stores, marks pending or releases according to the answer's {@link ReplayMode};
 * or answers without running it (replay, 409, 422).
 *
 * <p>Thread-safe; one instance serves every request through its filter.
 */
public final class IdempotentExecutor {

    /** The request attribute a handler sets to choose its answer's {@link ReplayMode}. */
    public static final String REPLAY_MODE_ATTRIBUTE = ReplayMode.class.getName();
    /** The request attribute holding the key as the filter parsed it, for the handler. */
    public static final String KEY_ATTRIBUTE = IdempotentExecutor.class.getName() + ".key";
    /** The request attribute holding the {@link io.valerix.core.idempotency.KeyClaim} a handler claims with. */
    public static final String CLAIM_ATTRIBUTE = IdempotentExecutor.class.getName() + ".claim";
    /**
     * The first round claims without looking; a request that lost its joined claim looks, and claims
     * again. More rounds only happen if winners keep giving the key back.
     */
    private static final int MAX_JOINED_ROUNDS = 4;

    private static final Logger log = LoggerFactory.getLogger(IdempotentExecutor.class);
    /** Retry-After for 409 and 503: a running request usually finishes within a second. */
    private static final String RETRY_AFTER_SECONDS = "1";

    private static final long FIRST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final IdempotencyConfig config;
    private final ClaimProtocol protocol;
    private final ResponseRecorder recorder;
    private final JdbcIdempotencyStore joinedStore;
    private final AtomicBoolean warnedShortLease = new AtomicBoolean();
    /** The incarnation named in new claims; null until the filter starts (then only leases free claims). */
    private volatile LeaseHolder holder;

    public IdempotentExecutor(IdempotencyStore store, IdempotencyConfig config) {
        this.config = config;
        this.protocol = new ClaimProtocol(store, config, () -> holder);
        this.recorder = new ResponseRecorder(config);
        this.joinedStore = config.claimWithFirstWrite() ? (JdbcIdempotencyStore) store : null;
    }

    /** Names {@code holder} in the claims taken from now on. */
    public void holdAs(LeaseHolder holder) {
        this.holder = holder;
    }

    public Response execute(Request request, Handler next) throws Exception {
        String scope = request.route();
        String key = IdempotencyKeys.resolve(request, config);
        request.attributes().put(KEY_ATTRIBUTE, key);
        String fingerprint = RequestFingerprint.of(request);
        if (joinedStore != null) {
            return executeJoined(request, next, scope, key, fingerprint);
        }
        return switch (acquire(request, scope, key, fingerprint)) {
            case Claimed claim -> run(request, next, claim);
            case Replay replay -> ResponseRecorder.replay(replay.record().response());
            case Mismatch mismatch -> throw mismatch(scope, key);
            case Busy busy -> throw inProgress(scope, key);
        };
    }

    /**
     * The key is claimed by the handler, in its first write's transaction. The first round does not
     * look first: most keys are new, and for those the claim's insert is the only statement the key
     * costs. A request that loses that claim (the key has a record, or a concurrent request took it)
     * has written nothing, and looks before it tries again: the record then says whether to replay,
     * refuse, wait or take over.
     */
    private Response executeJoined(Request request, Handler next, String scope, String key, String fingerprint)
            throws Exception {
        for (int round = 1; ; round++) {
            LeaseHolder self = holder;
            JoinedClaims.Check check = round == 1
                    ? JoinedClaims.unchecked(request)
                    : JoinedClaims.check(joinedStore, config, self, request, scope, key, fingerprint);
            switch (check.outcome()) {
                case Replay replay -> {
                    return ResponseRecorder.replay(replay.record().response());
                }
                case Mismatch mismatch -> throw mismatch(scope, key);
                case Busy busy -> throw inProgress(scope, key);
                case Claimed free -> {
                    /* below */
                }
            }
            JoinedClaim claim = new JoinedClaim(
                    joinedStore, config, recorder, request, scope, key, fingerprint, check.previous(), round > 1, self);
            request.attributes().put(CLAIM_ATTRIBUTE, claim);
            warnIfTheLeaseIsShorterThan(request);
            Response response;
            try {
                response = next.handle(request);
            } catch (ClaimLostException lost) {
                response = null;
            } catch (Throwable failure) {
                if (claim.isClaimed() && !claim.lost()) {
                    claim.finish(Response.dropConnection());
                }
                throw failure;
            } finally {
                request.attributes().remove(CLAIM_ATTRIBUTE);
            }
            // Filters inside this one may have turned a lost claim into an answer; the flag tells.
            Response sent = response == null || claim.lost() ? null : claim.finish(response);
            if (sent != null) {
                return sent;
            }
            if (round >= MAX_JOINED_ROUNDS) {
                throw inProgress(scope, key);
            }
        }
    }

    /** The mode chosen for {@code response}: the handler's, else by its status. */
    static ReplayMode modeOf(Request request, Response response) {
        if (response.dropsConnection()) {
            return ReplayMode.FORGET;
        }
        Object chosen = request.attributes().get(REPLAY_MODE_ATTRIBUTE);
        return chosen instanceof ReplayMode mode ? mode : ReplayMode.forStatus(response.status());
    }

    private static ProblemException mismatch(String scope, String key) {
        return IdempotencyProblems.KEY_REUSED.exception(
                "idempotency key '" + key + "' was already used for a different request to " + scope
                        + "; the method, path or body differ. Use a new key for a new request");
    }

    private Response run(Request request, Handler next, Claimed claim) throws Exception {
        warnIfTheLeaseIsShorterThan(request);
        Response response;
        try {
            response = next.handle(request);
        } catch (Throwable failure) {
            // Filters further in turn failures into answers, so this is rare (an Error, a dropped
            // connection); whatever it is, the request did not finish, so the key is given back.
            releaseQuietly(claim);
            throw failure;
        }
        return settle(request, claim, response);
    }

    /**
     * A request still running when its lease ends can be taken over and run a second time; a lease
     * shorter than the deadlines requests get is a configuration mistake worth one warning.
     */
    private void warnIfTheLeaseIsShorterThan(Request request) {
        if (request.deadline().remaining().compareTo(config.lease()) >= 0
                && warnedShortLease.compareAndSet(false, true)) {
            log.warn(
                    "the idempotency lease of {} is not longer than the deadline of {} ({} left); a request still running when its"
                            + " lease ends may be run twice. Make the lease longer than the server's maximum deadline",
                    config.lease(),
                    request.route(),
                    request.deadline().remaining());
        }
    }

    private Outcome acquire(Request request, String scope, String key, String fingerprint) {
        long start = config.nanoClock().nanoTime();
        long waitNanos =
                Math.min(config.inProgressWait().toNanos(), request.deadline().remainingNanos());
        long pause = FIRST_POLL_NANOS;
        while (true) {
            Outcome outcome = begin(scope, key, fingerprint);
            if (!(outcome instanceof Busy)) {
                return outcome;
            }
            long left = waitNanos - (config.nanoClock().nanoTime() - start);
            if (left <= 0) {
                return outcome;
            }
            try {
                // Polling, not a notification: the request holding the key may run in another instance.
                TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return outcome;
            }
            pause = Math.min(pause * 2, MAX_POLL_NANOS);
        }
    }

    private Outcome begin(String scope, String key, String fingerprint) {
        try {
            return protocol.begin(scope, key, fingerprint);
        } catch (IdempotencyStoreException e) {
            // Expected under overload (the pool gives up after its timeout) and answered with a 503 the
            // client can retry: a warning, not a stack trace per request.
            log.warn(
                    "the idempotency store failed while claiming '{}' in {}; answering 503 without running the request: {}",
                    key,
                    scope,
                    e.getMessage());
            throw new ProblemException(
                    Problem.of(
                            IdempotencyProblems.STORE_UNAVAILABLE,
                            "the request was not run because its idempotency key could not be checked; retry later"),
                    RETRY_AFTER_SECONDS);
        }
    }

    private Response settle(Request request, Claimed claim, Response response) {
        ReplayMode mode = modeOf(request, response);
        String scope = claim.record().scope();
        String key = claim.record().key();
        if (mode == ReplayMode.FORGET) {
            releaseQuietly(claim);
            return response;
        }
        if (mode == ReplayMode.REPLAY) {
            ResponseRecorder.Frozen frozen = recorder.freeze(response);
            if (frozen.stored() != null) {
                recordQuietly(claim, () -> protocol.complete(claim, frozen.stored()), "its answer");
                return ResponseRecorder.firstAnswer(response, frozen.body());
            }
            log.warn(
                    "the final {} answer to '{}' in {} is not stored because {}; retries will run the handler again",
                    response.status(),
                    key,
                    scope,
                    frozen.notStoredBecause());
        }
        recordQuietly(claim, () -> protocol.completePending(claim), "that its answer is not final");
        return response;
    }

    @FunctionalInterface
    private interface Write {
        boolean run();
    }

    private void recordQuietly(Claimed claim, Write write, String what) {
        String scope = claim.record().scope();
        String key = claim.record().key();
        try {
            if (!write.run()) {
                log.warn(
                        "could not record {} for '{}' in {}: its claim (fencing token {}) was taken over or released after its lease"
                                + " of {} expired; the newer claim's result stands",
                        what,
                        key,
                        scope,
                        claim.record().fencingToken(),
                        config.lease());
            }
        } catch (IdempotencyStoreException e) {
            // The client still gets the true answer; the claim stays IN_PROGRESS until its lease ends.
            log.error(
                    "could not record {} for '{}' in {}; a retry after the lease of {} (sooner if this instance dies) runs the handler again",
                    what,
                    key,
                    scope,
                    config.lease(),
                    e);
        }
    }

    private void releaseQuietly(Claimed claim) {
        recordQuietly(claim, () -> protocol.release(claim), "the release of its key");
    }

    private static ProblemException inProgress(String scope, String key) {
        return new ProblemException(
                Problem.of(
                        IdempotencyProblems.REQUEST_IN_PROGRESS,
                        "a request with idempotency key '" + key + "' to " + scope
                                + " is still being processed; retry to get its answer"),
                RETRY_AFTER_SECONDS);
    }
}
