package io.valerix.core.idempotency.internal;

import io.valerix.core.deadline.Deadline;
import io.valerix.core.http.Request;
import io.valerix.core.http.Response;
import io.valerix.core.idempotency.IdempotencyConfig;
import io.valerix.core.idempotency.IdempotencyRecord;
import io.valerix.core.idempotency.KeyClaim;
import io.valerix.core.idempotency.LeaseHolder;
import io.valerix.core.idempotency.ReplayMode;
import io.valerix.core.jdbc.DeadlineBoundDataSource;
import io.valerix.core.jdbc.JoinableWrite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KeyClaim} taken in the handler's transactions. It starts unclaimed, knowing what the
 * filter found: nothing ({@code previous} null: the claim is an insert) or a record it may take
 * over ({@code previous}: a conditional replace on its fencing token). Either way the database
 * decides between racing requests, as in {@link ClaimProtocol}.
 */
final class JoinedClaim implements KeyClaim {

    private static final Logger log = LoggerFactory.getLogger(JoinedClaim.class);

    private enum Stage {
        UNCLAIMED,
        CLAIMED,
        COMPLETED
    }

    /** SQLSTATE division_by_zero: how a joined statement says it must write nothing. */
    private static final String DIVISION_BY_ZERO = "22012";

    /** Below this much time left, a held claim's answer is recorded after the reply instead of before it. */
    private static final Duration MIN_RECORDING_TIME = Duration.ofMillis(50);
    /** What a recording after the reply may take: it delays no one, but must not hang. */
    private static final Duration LATE_RECORDING_TIME = Duration.ofSeconds(5);

    private final JdbcIdempotencyStore store;
    private final IdempotencyConfig config;
    private final ResponseRecorder recorder;
    private final Request request;
    private final String scope;
    private final String key;
    private final String fingerprint;
    private final IdempotencyRecord previous;
    /** Whether the filter read the key's record before this round; on a first try it did not. */
    private final boolean looked;

    private final LeaseHolder holder;
    private Stage stage = Stage.UNCLAIMED;
    private IdempotencyRecord held;
    /** Set when another request won the key; the handler's answer is then not this request's to give. */
    private boolean lost;

    JoinedClaim(
            JdbcIdempotencyStore store,
            IdempotencyConfig config,
            ResponseRecorder recorder,
            Request request,
            String scope,
            String key,
            String fingerprint,
            IdempotencyRecord previous,
            boolean looked,
            LeaseHolder holder) {
        this.holder = holder;
        this.looked = looked;
        this.store = store;
        this.config = config;
        this.recorder = recorder;
        this.request = request;
        this.scope = scope;
        this.key = key;
        this.fingerprint = fingerprint;
        this.previous = previous;
    }

    @Override
    public <T> T claim(Deadline deadline, DeadlineBoundDataSource.Work<T> firstWrite) throws SQLException {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(firstWrite, "firstWrite");
        if (stage != Stage.UNCLAIMED) {
            throw new IllegalStateException("the key '" + key + "' in " + scope + " was claimed already");
        }
        IdempotencyRecord[] claimed = new IdempotencyRecord[1];
        T result;
        try {
            result = store.database().inTransaction(deadline, c -> {
                claimed[0] = previous == null ? insertClaim(c) : take(c, inProgress(c));
                return firstWrite.run(c);
            });
        } catch (ClaimLostException e) {
            lost = true;
            throw e;
        }
        held = claimed[0];
        stage = Stage.CLAIMED;
        return result;
    }

    @Override
    public Response complete(Deadline deadline, DeadlineBoundDataSource.Work<Response> lastWrite) throws SQLException {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(lastWrite, "lastWrite");
        if (stage != Stage.CLAIMED) {
            throw new IllegalStateException("the key '" + key + "' in " + scope
                    + " must be claimed, and not completed, to complete; it was " + stage);
        }
        Response answer;
        try {
            answer = store.database().inTransaction(deadline, c -> {
                Response response = lastWrite.run(c);
                Response sent = record(c, held, response);
                if (sent == null) {
                    throw new ClaimLostException("the claim of '" + key + "' in " + scope + " (fencing token "
                            + held.fencingToken() + ") was taken over before its answer was stored");
                }
                return sent;
            });
        } catch (ClaimLostException e) {
            lost = true;
            throw e;
        }
        stage = Stage.COMPLETED;
        return answer;
    }

    @Override
    public boolean claim(Deadline deadline, JoinableWrite firstWrite) throws SQLException {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(firstWrite, "firstWrite");
        if (stage != Stage.UNCLAIMED) {
            throw new IllegalStateException("the key '" + key + "' in " + scope + " was claimed already");
        }
        if (previous != null || firstWrite.sql().isEmpty() || !store.joinsWrites()) {
            return claim(deadline, c -> firstWrite.run(c) > 0);
        }
        IdempotencyRecord claim = unnumberedClaim();
        JoinableWrite insert = store.claimWrite(claim);
        // The division fails when the claim found the key taken, and with it the write.
        Optional<long[]> tokenAndWritten = inOneStatement(
                deadline,
                "WITH valerix_claim AS (" + insert.sql().orElseThrow() + " RETURNING fencing_token),"
                        + " valerix_write AS (" + firstWrite.sql().orElseThrow() + " RETURNING 1)"
                        + " SELECT (SELECT fencing_token FROM valerix_claim), (SELECT count(*) FROM valerix_write),"
                        + " 1 / (SELECT count(*) FROM valerix_claim)",
                insert,
                firstWrite,
                row -> new long[] {row.getLong(1), row.getLong(2)});
        if (tokenAndWritten.isEmpty()) {
            lost = true;
            throw new ClaimLostException("another request claimed '" + key + "' in " + scope + " first");
        }
        held = claim.withFencingToken(tokenAndWritten.get()[0]);
        stage = Stage.CLAIMED;
        return tokenAndWritten.get()[1] > 0;
    }

    @Override
    public Optional<Response> completeIfWritten(Deadline deadline, JoinableWrite lastWrite, Response answer)
            throws SQLException {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(lastWrite, "lastWrite");
        Objects.requireNonNull(answer, "answer");
        if (stage != Stage.CLAIMED) {
            throw new IllegalStateException("the key '" + key + "' in " + scope
                    + " must be claimed, and not completed, to complete; it was " + stage);
        }
        Recording recording = recording(held, answer);
        Optional<Response> sent =
                lastWrite.sql().isPresent() && recording.write().sql().isPresent() && store.joinsWrites()
                        ? completeInOneStatement(deadline, lastWrite, recording)
                        : completeInOneTransaction(deadline, lastWrite, recording);
        if (sent.isPresent()) {
            stage = Stage.COMPLETED;
        }
        return sent;
    }

    private Optional<Response> completeInOneStatement(Deadline deadline, JoinableWrite lastWrite, Recording recording)
            throws SQLException {
        // The division fails when either write changed no row, and with it both.
        return inOneStatement(
                        deadline,
                        "WITH valerix_write AS (" + lastWrite.sql().orElseThrow() + " RETURNING 1),"
                                + " valerix_record AS ("
                                + recording.write().sql().orElseThrow() + " RETURNING 1)"
                                + " SELECT 1 / ((SELECT count(*) FROM valerix_write) * (SELECT count(*) FROM valerix_record))",
                        lastWrite,
                        recording.write(),
                        row -> row.getLong(1))
                .map(written -> recording.sent());
    }

    /** Reads the one row a joined statement returns. */
    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    /**
     * Runs {@code sql}, the joined statement of {@code first} and {@code second} (bound in that
     * order), in auto-commit: both writes commit with it, or neither. Empty when its closing
     * division failed (SQLSTATE 22012): the statement's way of saying that it must write nothing.
     */
    private <T> Optional<T> inOneStatement(
            Deadline deadline, String sql, JoinableWrite first, JoinableWrite second, RowReader<T> reader)
            throws SQLException {
        try {
            return Optional.of(store.database().inAutoCommit(deadline, c -> {
                try (PreparedStatement joined = c.prepareStatement(sql)) {
                    second.bind(joined, first.bind(joined, 1));
                    try (ResultSet row = joined.executeQuery()) {
                        row.next();
                        return reader.read(row);
                    }
                }
            }));
        } catch (SQLException e) {
            if (DIVISION_BY_ZERO.equals(e.getSQLState())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Optional<Response> completeInOneTransaction(Deadline deadline, JoinableWrite lastWrite, Recording recording)
            throws SQLException {
        try {
            return Optional.of(store.database().inTransaction(deadline, c -> {
                if (lastWrite.run(c) == 0) {
                    throw new NothingWritten();
                }
                if (recording.write().run(c) != 1) {
                    throw new NothingWritten(); // taken over: complete(…) reads and says so
                }
                return recording.sent();
            }));
        } catch (NothingWritten e) {
            return Optional.empty();
        }
    }

    /** Rolls back a {@link #completeIfWritten} transaction that is to write nothing. */
    private static final class NothingWritten extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NothingWritten() {
            super(null, null, false, false);
        }
    }

    @Override
    public boolean isClaimed() {
        return stage != Stage.UNCLAIMED;
    }

    /** Whether another request won the key while this one ran: its answer must not be sent. */
    boolean lost() {
        return lost;
    }

    /**
     * Records the answer of a handler that returned without completing, in one transaction: a
     * claimed key is finished as {@link ClaimProtocol} would; an unclaimed one (the handler wrote
     * nothing) is claimed and finished at once, if its answer is worth keeping.
     *
     * @return the answer to send, or null if another request holds the key: this one ran beside it
     *     without writing, and is to be answered as a retry
     */
    Response finish(Response response) {
        if (stage == Stage.COMPLETED) {
            return response;
        }
        ReplayMode mode = IdempotentExecutor.modeOf(request, response);
        if (stage == Stage.UNCLAIMED
                && (mode == ReplayMode.FORGET
                        || (mode == ReplayMode.RERUN
                                && previous != null
                                && previous.state() == IdempotencyRecord.State.PENDING_RESULT))) {
            if (!looked && hasRecord()) {
                // Not looked at before the handler ran, and the key has a record: this answer (a
                // 4xx or 5xx the handler gave without writing) is not this retry's to give.
                lost = true;
                return null;
            }
            return response; // nothing held, and the store already says what a retry must do
        }
        if (stage == Stage.CLAIMED && request.deadline().remaining().compareTo(MIN_RECORDING_TIME) < 0) {
            // The key is ours, but the deadline has no time left to record the answer: the reply leaves
            // now and the answer is recorded right after it, rather than the claim blocking retries
            // (409) until its lease ends. A retry in between gets a 409 with Retry-After: 1.
            Thread.ofVirtual().name("valerix-idempotency-record").start(() -> recordLate(response));
            return response;
        }
        try {
            Response sent = store.database().inTransaction(request.deadline(), c -> {
                IdempotencyRecord record = stage == Stage.CLAIMED ? held : take(c, inProgress(c));
                Response recorded = record(c, record, response);
                return recorded != null ? recorded : response;
            });
            stage = Stage.COMPLETED;
            return sent;
        } catch (ClaimLostException e) {
            log.debug("the answer to '{}' in {} is not recorded: {}", key, scope, e.getMessage());
            lost = true;
            return null;
        } catch (SQLException | RuntimeException e) {
            // The client still gets the true answer; a held claim stays IN_PROGRESS until its lease ends.
            log.warn(
                    "could not record the answer to '{}' in {} within the request's deadline; a retry after the lease of {} (sooner if this instance dies) runs"
                            + " the handler again: {}",
                    key,
                    scope,
                    config.lease(),
                    e.getMessage());
            return response;
        }
    }

    /** Whether the key has a record; false if that cannot be read in time (the answer then stands). */
    private boolean hasRecord() {
        try {
            return store.database()
                    .inAutoCommit(
                            request.deadline(), c -> store.find(c, scope, key).isPresent());
        } catch (SQLException | RuntimeException e) {
            log.debug("could not look for a record of '{}' in {} before answering: {}", key, scope, e.getMessage());
            return false;
        }
    }

    private void recordLate(Response response) {
        try {
            store.database().inTransaction(Deadline.after(LATE_RECORDING_TIME), c -> record(c, held, response));
        } catch (SQLException | RuntimeException e) {
            log.warn(
                    "could not record the answer to '{}' in {}; a retry after the lease of {} (sooner if this instance dies) runs the handler again: {}",
                    key,
                    scope,
                    config.lease(),
                    e.getMessage());
        }
    }

    private IdempotencyRecord inProgress(Connection c) throws SQLException {
        Instant now = now();
        long token = JdbcIdempotencyStore.nextFencingToken(c);
        IdempotencyRecord claim = previous == null
                ? IdempotencyRecord.inProgress(scope, key, fingerprint, token, now, now.plus(config.lease()))
                : previous.claimedAgain(token, now.plus(config.lease()));
        return claim.heldBy(holder);
    }

    /** Inserts a new claim, its token drawn by the insert, in {@code c}'s transaction, or throws: another request won. */
    private IdempotencyRecord insertClaim(Connection c) throws SQLException {
        return store.insertIfAbsentWithNextToken(c, unnumberedClaim())
                .orElseThrow(
                        () -> new ClaimLostException("another request claimed '" + key + "' in " + scope + " first"));
    }

    /** A new claim whose fencing token (1, a placeholder) the insert replaces with the next one. */
    private IdempotencyRecord unnumberedClaim() {
        Instant now = now();
        return IdempotencyRecord.inProgress(scope, key, fingerprint, 1, now, now.plus(config.lease()))
                .heldBy(holder);
    }

    /** Inserts or takes over {@code claim} in {@code c}'s transaction, or throws: another request won. */
    private IdempotencyRecord take(Connection c, IdempotencyRecord claim) throws SQLException {
        boolean taken =
                previous == null ? store.insertIfAbsent(c, claim) : store.replace(c, previous.fencingToken(), claim);
        if (!taken) {
            throw new ClaimLostException("another request claimed '" + key + "' in " + scope + " first");
        }
        if (previous != null && previous.state() == IdempotencyRecord.State.IN_PROGRESS) {
            ClaimProtocol.logTakeover(previous, claim, now());
        }
        return claim;
    }

    /** How a claim is finished: the write, and the answer to send once it changed its row. */
    private record Recording(JoinableWrite write, Response sent) {}

    /**
     * Finishes {@code claim} with {@code response} in {@code c}'s transaction, as its replay mode
     * says; returns the answer to send, or null if the claim was taken over meanwhile.
     */
    private Response record(Connection c, IdempotencyRecord claim, Response response) throws SQLException {
        Recording recording = recording(claim, response);
        return recording.write().run(c) == 1 ? recording.sent() : null;
    }

    /** What finishing {@code claim} with {@code response} writes, as its replay mode says. */
    private Recording recording(IdempotencyRecord claim, Response response) {
        ReplayMode mode = IdempotentExecutor.modeOf(request, response);
        Instant now = now();
        if (mode == ReplayMode.FORGET) {
            JoinableWrite release = previous != null && previous.state() == IdempotencyRecord.State.PENDING_RESULT
                    ? store.replaceWrite(claim.fencingToken(), previous.withFencingToken(claim.fencingToken()))
                    : store.deleteWrite(scope, key, claim.fencingToken());
            return new Recording(release, response);
        }
        if (mode == ReplayMode.REPLAY) {
            ResponseRecorder.Frozen frozen = recorder.freeze(response);
            if (frozen.stored() != null) {
                return new Recording(
                        store.replaceWrite(
                                claim.fencingToken(),
                                claim.completed(frozen.stored(), now, now.plus(config.retention()))),
                        ResponseRecorder.firstAnswer(response, frozen.body()));
            }
            log.warn(
                    "the final {} answer to '{}' in {} is not stored because {}; retries will run the handler again",
                    response.status(),
                    key,
                    scope,
                    frozen.notStoredBecause());
        }
        return new Recording(
                store.replaceWrite(claim.fencingToken(), claim.pendingResult(now, now.plus(config.retention()))),
                response);
    }

    private Instant now() {
        return config.clock().instant().truncatedTo(ChronoUnit.MICROS);
    }
}
