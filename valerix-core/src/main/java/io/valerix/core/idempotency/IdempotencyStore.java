package io.valerix.core.idempotency;

import io.valerix.core.idempotency.internal.InMemoryIdempotencyStore;
import io.valerix.core.idempotency.internal.JdbcIdempotencyStore;
import io.valerix.core.jdbc.DeadlineBoundDataSource;
import io.valerix.core.journal.ChangeJournal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Where idempotency records live: the service provider interface behind {@link
 * IdempotencyFilter}. The filter holds the policy (who may claim a key, when to replay); a store
 * offers only atomic primitives, each one statement in a database: an insert that fails on an
 * existing key, and a replace and a delete that succeed only while the record still carries the
 * expected fencing token.
 *
 * <p>Correctness across many service instances rests on those primitives alone, never on
 * in-memory locks: with {@link #of(DataSource)}, the primary key picks the one request that
 * claims a key, and the fencing-token condition picks the one request that takes an expired
 * claim over.
 *
 * <p>Implementations must be thread-safe. Every method throws {@link IdempotencyStoreException}
 * when the store cannot answer (the database is down, the table is missing); the filter then
 * answers 503 and runs nothing.
 */
public interface IdempotencyStore {

    /** The schema name of the JDBC store's tables: {@code SchemaMigrations.migrate(dataSource, SCHEMA)}. */
    String SCHEMA = "idempotency";

    /**
     * A store over {@code dataSource}, which the caller owns (and closes). The tables must exist:
     * run {@code SchemaMigrations.migrate(dataSource, IdempotencyStore.SCHEMA)} at start-up. The SQL
     * runs unchanged on H2 ({@code MODE=PostgreSQL}) and PostgreSQL.
     */
    static IdempotencyStore of(DataSource dataSource) {
        return of(DeadlineBoundDataSource.of(dataSource), ChangeJournal.off());
    }

    /**
     * {@link #of(DataSource)} that also records every record write in {@code journal}, in the
     * write's transaction, for continuous archiving; installs the journal's tables. With {@link
     * ChangeJournal#off()} it is exactly {@link #of(DataSource)}.
     */
    static IdempotencyStore of(DataSource dataSource, ChangeJournal journal) {
        return of(DeadlineBoundDataSource.of(dataSource), journal);
    }

    /**
     * {@link #of(DataSource, ChangeJournal)} through {@code database}, the gate every user of its
     * pool shares. Only such a store can {@linkplain IdempotencyConfig.Builder#claimWithFirstWrite
     * join a handler's transactions}; its request-path reads and writes end by the request's
     * deadline.
     */
    static IdempotencyStore of(DeadlineBoundDataSource database, ChangeJournal journal) {
        journal.install(database.dataSource());
        return new JdbcIdempotencyStore(database, journal);
    }

    /**
     * A store in this process's memory, for tests and single-instance tools: it forgets everything
     * on restart and is not shared between instances.
     */
    static IdempotencyStore inMemory() {
        return new InMemoryIdempotencyStore();
    }

    /**
     * A fencing token never handed out before by this store and larger than every one it handed
     * out before; give it to a record in {@link #insert} or {@link #replace}.
     */
    long nextFencingToken();

    /**
     * Inserts {@code record} unless a record with its scope and key exists.
     *
     * @return true if inserted; false if the key was taken (the unique constraint decided)
     */
    boolean insert(IdempotencyRecord record);

    /** The record of {@code key} in {@code scope}, if there is one. */
    Optional<IdempotencyRecord> find(String scope, String key);

    /**
     * Replaces the record with {@code record}'s scope and key, but only if the stored one still
     * carries {@code expectedFencingToken}.
     *
     * @return true if replaced; false if the record is gone or another claim holds it now
     */
    boolean replace(long expectedFencingToken, IdempotencyRecord record);

    /**
     * Deletes the record of {@code key} in {@code scope}, but only if it still carries {@code
     * expectedFencingToken}.
     *
     * @return true if deleted; false if it was gone or another claim holds it now
     */
    boolean delete(String scope, String key, long expectedFencingToken);

    /**
     * Deletes up to {@code limit} finished records ({@code PENDING_RESULT} or {@code COMPLETED})
     * whose {@code expiresAt} is at or before {@code now}, oldest first.
     *
     * @return how many were deleted; {@code limit} means more may be left
     */
    int purgeExpired(Instant now, int limit);

    /**
     * Deletes up to {@code limit} {@code IN_PROGRESS} claims whose lease expired at or before
     * {@code now}: claims left by requests that crashed. Their keys are free again; a late
     * finisher of such a claim can no longer record its answer.
     *
     * @return how many were deleted; {@code limit} means more may be left
     */
    int releaseExpiredClaims(Instant now, int limit);

    /**
     * Starts a new incarnation of {@code instanceId}: a {@link LeaseHolder} whose epoch is larger
     * than that of every earlier start, with a first heartbeat. Earlier incarnations of the same
     * instance id are retired, so the claims they left (a crashed process restarted) are free at
     * once. Holders gone silent long ago (an hour) are forgotten.
     *
     * <p>The default, for stores that keep no holders, only hands out the epoch; their claims are
     * freed by their lease alone.
     */
    default LeaseHolder register(String instanceId) {
        return new LeaseHolder(instanceId, nextFencingToken());
    }

    /**
     * Refreshes {@code holder}'s heartbeat.
     *
     * @return false if the store no longer knows the holder: a later start of its instance id (a
     *     second process with the same id?) retired it, or it was silent too long
     */
    default boolean beat(LeaseHolder holder) {
        return true;
    }

    /** Forgets {@code holder} (it stopped cleanly): claims it still holds can be taken over at once. */
    default void retire(LeaseHolder holder) {}

    /**
     * Whether {@code holder} is alive: registered, not retired, and its last heartbeat at most {@code
     * heartbeatTimeout} old (on the store's clock, so instances' clock differences do not count).
     * The default, for stores that keep no holders, says yes: only the lease decides.
     */
    default boolean isAlive(LeaseHolder holder, Duration heartbeatTimeout) {
        return true;
    }
}
