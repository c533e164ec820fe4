package io.valerix.core.idempotency;

import io.valerix.core.deadline.Deadline;
import io.valerix.core.http.Response;
import io.valerix.core.jdbc.DeadlineBoundDataSource;
import io.valerix.core.jdbc.JoinableWrite;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A request's right to its idempotency key, taken in the handler's own first transaction: with
 * {@link IdempotencyConfig.Builder#claimWithFirstWrite(boolean)} the filter claims nothing, and on
 * a request's first try does not even read the key; the handler claims together with its first
 * write and may store its answer together with its last. That is one commit for each instead of
 * two, and for a new key no read. A claim that finds the key taken fails, and the filter then
 * reads the key and answers as usual (replay, 409, 422) or lets the handler try again.
 *
 * <pre>{@code
 * KeyClaim claim = IdempotencyFilter.claimOf(request).orElseThrow();
 * claim.claim(deadline, connection -> insertOrder(connection));   // key + row, one commit
 * ... call other services, holding no connection ...
 * return claim.complete(deadline, connection -> {                  // row + answer, one commit
 *   settleOrder(connection);
 *   return Response.json(201, order);
 * });
 * }</pre>
 *
 * <p>When a write is a single statement, pass it as a {@link JoinableWrite}: on PostgreSQL the
 * claim (or the answer) and the write then go to the database as one statement, one round trip
 * instead of three.
 *
 * <p>If another request with the key claimed it first, {@link #claim} and {@link #complete} roll
 * their transaction back whole and throw an exception the filter answers as it answers a retry
 * (409, 422 or the replay); a handler must let it pass, and must not write to the database before
 * {@link #claim}. A handler that never claims (it wrote nothing) is recorded by the filter after it
 * returns; one that claims but does not complete is recorded by the filter in a transaction of its
 * own.
 *
 * <p>Not thread-safe: it belongs to one request, on the thread that handles it.
 */
public interface KeyClaim {

    /**
     * Claims the key and runs {@code firstWrite} in one transaction whose waits end by {@code
     * deadline}.
     *
     * @return what {@code firstWrite} returned
     * @throws SQLException from {@code firstWrite} or the database, a timeout included ({@link
     *     DeadlineBoundDataSource#isTimeout}); nothing was committed and the key is not claimed
     * @throws IllegalStateException if the key was claimed already
     */
    <T> T claim(Deadline deadline, DeadlineBoundDataSource.Work<T> firstWrite) throws SQLException;

    /**
     * Claims the key and runs {@code firstWrite}, a single statement, together. On PostgreSQL both
     * go in one statement ({@code WITH}), one round trip with no BEGIN or COMMIT of their own;
     * elsewhere, or where the write must run alone, as {@link #claim(Deadline,
     * DeadlineBoundDataSource.Work)} does. Prefer it whenever the first write is one statement.
     *
     * @return whether {@code firstWrite} changed a row (an insert that found its row did not)
     * @throws SQLException as {@link #claim(Deadline, DeadlineBoundDataSource.Work)}: nothing was
     *     committed and the key is not claimed
     * @throws IllegalStateException if the key was claimed already
     */
    boolean claim(Deadline deadline, JoinableWrite firstWrite) throws SQLException;

    /**
     * Runs {@code lastWrite}, which returns the handler's answer, and records that answer as its
     * {@link ReplayMode} says, in one transaction whose waits end by {@code deadline}.
     *
     * @return the answer to return from the handler (for a stored answer, with the body as stored)
     * @throws SQLException from {@code lastWrite} or the database; nothing was committed, and the
     *     claim is still held, so the handler may answer otherwise
     * @throws IllegalStateException if the key was not claimed, or the claim was completed already
     */
    Response complete(Deadline deadline, DeadlineBoundDataSource.Work<Response> lastWrite) throws SQLException;

    /**
     * The common case of {@link #complete(Deadline, DeadlineBoundDataSource.Work)} in one round
     * trip: runs {@code lastWrite}, a single statement, and records {@code answer}, the handler's
     * answer should that statement change a row, both or neither. On PostgreSQL they go in one
     * statement ({@code WITH}); elsewhere in one transaction.
     *
     * @return the answer to return from the handler; empty if nothing was written ({@code
     *     lastWrite} changed no row, or the claim was taken over): the claim is as it was, and the
     *     handler completes with {@link #complete(Deadline, DeadlineBoundDataSource.Work)}, which
     *     reads what happened
     * @throws SQLException from the database, a timeout included; nothing was committed
     * @throws IllegalStateException if the key was not claimed, or the claim was completed already
     */
    Optional<Response> completeIfWritten(Deadline deadline, JoinableWrite lastWrite, Response answer)
            throws SQLException;

    /** Whether {@link #claim} succeeded. */
    boolean isClaimed();
}
