package io.valerix.core.idempotency;

import io.valerix.core.http.Filter;
import io.valerix.core.http.Handler;
import io.valerix.core.http.Request;
import io.valerix.core.http.Response;
import io.valerix.core.idempotency.internal.HolderHeartbeat;
import io.valerix.core.idempotency.internal.IdempotentExecutor;
import io.valerix.core.idempotency.internal.JdbcIdempotencyStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Filter} that makes guarded routes idempotent by {@code Idempotency-Key} (IETF draft
 * semantics): the first request with a key runs, every retry of it gets the first answer back,
 * and no two requests with one key run at once.
 *
 * <p>For a guarded route ({@link IdempotencyConfig#appliesTo(String)}):
 *
 * <ul>
 *   <li>The key comes from the {@code Idempotency-Key} header (an RFC 8941 string {@code "abc"} or
 *       a bare token), else from {@link IdempotencyConfig#fallbackKey()}; keys are scoped by route.
 *       None: 400 {@code idempotency-key-missing}; malformed or too long: 400 {@code
 *       invalid-idempotency-key}.
 *   <li>The first request claims the key (a unique insert), runs the handler, and then keeps what
 *       the answer's {@link ReplayMode} says: the answer itself ({@code REPLAY}, 2xx/3xx), only
 *       the fact that it is not final ({@code RERUN}, 202), or nothing ({@code FORGET}, 4xx/5xx).
 *   <li>A retry of the same request (same method, path and canonical body) gets the stored answer
 *       with {@code Idempotent-Replayed: true}; after a {@code RERUN} answer it runs the handler
 *       again, which must answer with the current state.
 *   <li>A request with a used key but a different body: 422 {@code idempotency-key-reused}.
 *   <li>While the first still runs: 409 {@code idempotency-request-in-progress} with {@code
 *       Retry-After: 1}, after waiting up to {@link IdempotencyConfig#inProgressWait()} (zero by
 *       default) for its answer.
 *   <li>A claim whose lease expired (its holder crashed or hung) is taken over by the next
 *       request with the key, with a new fencing token; the old holder can then no longer record
 *       anything. Once the filter is {@linkplain #start() started}, a claim names its holder (this
 *       instance and its start), and is taken over as soon as that holder is dead: restarted under
 *       the same {@linkplain IdempotencyConfig#instanceId() instance id}, or silent for the {@linkplain
 *       IdempotencyConfig#heartbeatTimeout() heartbeat timeout}, however long its lease.
 *   <li>The store unreachable before the handler ran: 503 {@code idempotency-store-unavailable},
 *       nothing run. After the handler ran, a failure to record is logged and the client still
 *       gets the handler's answer.
 * </ul>
 *
 * <p>With {@link IdempotencyConfig.Builder#claimWithFirstWrite(boolean)} the filter only checks the
 * key before the handler runs, and the handler claims it in its own first transaction through
 * {@link #claimOf(Request)} ({@link KeyClaim}): the same answers as above, two commits fewer.
 *
 * <p>Other routes pass through untouched. Put this filter inside filters that may drop or delay
 * answers (the gremlin) and outside anything that needs the key to have been checked.
 *
 * <p>Thread-safe; all state is in the store, so any number of filters (in one process or many)
 * may share one store. Who starts a filter closes it.
 */
public final class IdempotencyFilter implements Filter, AutoCloseable {

    /** The most records one {@link #purgeExpired()} or {@link #recoverExpired()} call deletes. */
    public static final int MAINTENANCE_BATCH = 1000;

    private final IdempotencyStore store;
    private final IdempotencyConfig config;
    private final IdempotentExecutor executor;
    private final Object lifecycle = new Object();
    private HolderHeartbeat heartbeat;
    private boolean closed;

    private IdempotencyFilter(IdempotencyStore store, IdempotencyConfig config) {
        this.store = store;
        this.config = config;
        this.executor = new IdempotentExecutor(store, config);
    }

    /**
     * A filter keeping its records in {@code store}, set up by {@code config} ({@link
     * IdempotencyConfig#defaults()} for the defaults).
     */
    public static IdempotencyFilter of(IdempotencyStore store, IdempotencyConfig config) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(config, "config");
        if (config.claimWithFirstWrite() && !(store instanceof JdbcIdempotencyStore)) {
            throw new IllegalArgumentException(
                    "claimWithFirstWrite needs a JDBC store (IdempotencyStore.of), but the store was " + store);
        }
        return new IdempotencyFilter(store, config);
    }

    /**
     * Chooses what is kept of the answer the handler is about to return for {@code request},
     * overriding the default by status ({@link ReplayMode#forStatus(int)}). For example {@code
     * REPLAY} keeps a 409 "out of stock" that is a final business outcome, and {@code RERUN} marks
     * a 200 whose outcome is still open. Has no effect on routes the filter does not guard.
     */
    public static void replayMode(Request request, ReplayMode mode) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(mode, "mode");
        request.attributes().put(IdempotentExecutor.REPLAY_MODE_ATTRIBUTE, mode);
    }

    /**
     * The idempotency key of {@code request} as this filter parsed it: unquoted and unescaped, so
     * {@code "abc"} and {@code abc} give the same {@code abc}. A handler that derives anything from
     * the key (an order id) must use this, not the raw header, or two spellings of one key that the
     * filter treats as one request would reach it as two. Empty on routes the filter does not guard.
     */
    public static Optional<String> keyOf(Request request) {
        Objects.requireNonNull(request, "request");
        return Optional.ofNullable((String) request.attributes().get(IdempotentExecutor.KEY_ATTRIBUTE));
    }

    /**
     * The claim a handler takes with its first write, on routes of a filter built with {@link
     * IdempotencyConfig.Builder#claimWithFirstWrite(boolean)}; empty elsewhere (the filter claimed
     * before the handler ran, or the route is not guarded).
     */
    public static Optional<KeyClaim> claimOf(Request request) {
        Objects.requireNonNull(request, "request");
        return Optional.ofNullable((KeyClaim) request.attributes().get(IdempotentExecutor.CLAIM_ATTRIBUTE));
    }

    @Override
    public Response filter(Request request, Handler next) throws Exception {
        if (!config.appliesTo(request.route())) {
            return next.handle(request);
        }
        return executor.execute(request, next);
    }

    /**
     * Deletes up to {@value #MAINTENANCE_BATCH} finished records whose retention ended, oldest
     * first. Call it from a scheduled task; call again at once while it returns the full batch.
     *
     * @return how many records were deleted
     * @throws IdempotencyStoreException if the store failed; nothing or part of the batch was deleted
     */
    public int purgeExpired() {
        return store.purgeExpired(now(), MAINTENANCE_BATCH);
    }

    /**
     * Deletes up to {@value #MAINTENANCE_BATCH} claims whose lease expired without an answer, left by
     * requests that crashed or hung. Optional: the next request with such a key takes the claim over
     * anyway; this only keeps abandoned claims from piling up.
     *
     * @return how many claims were released
     * @throws IdempotencyStoreException if the store failed
     */
    public int recoverExpired() {
        return store.releaseExpiredClaims(now(), MAINTENANCE_BATCH);
    }

    /**
     * Starts this incarnation of the {@linkplain IdempotencyConfig#instanceId() instance}: registers
     * it in the store with a new boot epoch, which frees at once every claim left by earlier starts
     * of the same instance id (a crashed process, restarted), and keeps its heartbeat fresh every
     * {@linkplain IdempotencyConfig#heartbeatPeriod() period} on a daemon thread, so other instances
     * can tell when it dies. Claims taken from now on name it. Call it before serving; without it
     * claims name no holder and only their lease frees them.
     *
     * @return this filter
     * @throws IdempotencyStoreException if the store could not register the instance
     * @throws IllegalStateException if started or closed already
     */
    public IdempotencyFilter start() {
        synchronized (lifecycle) {
            if (heartbeat != null || closed) {
                throw new IllegalStateException(
                        "the idempotency filter of '" + config.instanceId() + "' was already started or closed");
            }
            heartbeat = HolderHeartbeat.start(store, config);
            executor.holdAs(heartbeat.holder());
            return this;
        }
    }

    /** The incarnation this filter's claims name, once {@linkplain #start() started}. */
    public Optional<LeaseHolder> holder() {
        synchronized (lifecycle) {
            return heartbeat == null ? Optional.empty() : Optional.of(heartbeat.holder());
        }
    }

    /**
     * Stops the heartbeat and retires this incarnation, so claims it still holds can be taken over at
     * once. Close it after the server stopped serving. Does nothing if it was not started.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            closed = true;
            if (heartbeat != null) {
                heartbeat.close();
            }
        }
    }

    /** The settings this filter runs with. */
    public IdempotencyConfig config() {
        return config;
    }

    private Instant now() {
        return config.clock().instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public String toString() {
        return "IdempotencyFilter[" + config + "]";
    }
}
