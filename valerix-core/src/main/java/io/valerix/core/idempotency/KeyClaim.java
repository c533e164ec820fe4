package io.valerix.core.idempotency;

import io.valerix.core.deadline.Deadline;
import io.valerix.core.http.Response;
import io.valerix.core.jdbc.DeadlineBoundDataSource;
import java.sql.SQLException;

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
     * Runs {@code lastWrite}, which returns the handler's answer, and records that answer as its
     * {@link ReplayMode} says, in one transaction whose waits end by {@code deadline}.
     *
     * @return the answer to return from the handler (for a stored answer, with the body as stored)
     * @throws SQLException from {@code lastWrite} or the database; nothing was committed, and the
     *     claim is still held, so the handler may answer otherwise
     * @throws IllegalStateException if the key was not claimed, or the claim was completed already
     */
    Response complete(Deadline deadline, DeadlineBoundDataSource.Work<Response> lastWrite) throws SQLException;

    /** Whether {@link #claim} succeeded. */
    boolean isClaimed();
}
