package io.valerix.core.idempotency.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.core.idempotency.IdempotencyRecord;
import io.valerix.core.idempotency.IdempotencyStore;
import io.valerix.core.idempotency.IdempotencyStoreException;
import io.valerix.core.idempotency.LeaseHolder;
import io.valerix.core.idempotency.StoredResponse;
import io.valerix.core.jdbc.DeadlineBoundDataSource;
import io.valerix.core.jdbc.JoinableWrite;
import io.valerix.core.jdbc.SqlDialect;
import io.valerix.core.journal.ChangeJournal;
import io.valerix.core.journal.JournaledTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link IdempotencyStore} over a JDBC {@link DataSource}: table {@code idempotency_record} and
 * sequence {@code idempotency_fencing_token} from {@code db/idempotency/V1__create_idempotency_record.sql}.
 *
 * <p>Every method runs one statement on its own connection: in auto-commit mode as the pools in
 * {@code io.valerix.core.jdbc} hand them out, or committed (rolled back on failure) right away when
 * a pool does not. The atomicity the filter relies on is that of single statements: a unique key
 * for {@link #insert}, {@code WHERE fencing_token = ?} for {@link #replace} and {@link #delete}.
 * Thread-safe: it holds no state beyond the data source.
 *
 * <p>The package-private {@code Connection} variants run in a caller's open transaction, for
 * {@link JoinedClaim}: a claim or an answer committed together with the handler's own write.
 *
 * <p>With a {@link ChangeJournal} on, each write runs in a transaction with its journal row, and a
 * purge deletes its batch key by key so that each delete is journaled.
 */
public final class JdbcIdempotencyStore implements IdempotencyStore {

    /** SQLSTATE of a unique-constraint violation, the same on H2 and PostgreSQL. */
    private static final String UNIQUE_VIOLATION = "23505";

    private static final ObjectMapper HEADERS_JSON = new ObjectMapper();
    private static final TypeReference<Map<String, List<String>>> HEADERS_TYPE = new TypeReference<>() {};
    private static final String COLUMNS =
            "scope, idem_key, fingerprint, state, fencing_token, created_at, lease_expires_at, completed_at, expires_at,"
                    + " response_status, response_headers, response_body, holder_instance, holder_epoch";
    /** Holders silent this long are forgotten at the next start of any instance: their claims are long free anyway. */
    private static final java.time.Duration FORGET_HOLDERS_AFTER = java.time.Duration.ofHours(1);

    private static final JournaledTable RECORDS = JournaledTable.of("idempotency_record", "scope", "idem_key");

    /** The claim's insert, its fencing token drawn by the insert itself. */
    private static final String INSERT_WITH_NEXT_TOKEN = "INSERT INTO idempotency_record (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, nextval('idempotency_fencing_token'), ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT DO NOTHING";

    private final DeadlineBoundDataSource database;
    private final DataSource dataSource;
    private final ChangeJournal journal;
    private volatile Boolean joinsWrites;

    public JdbcIdempotencyStore(DeadlineBoundDataSource database, ChangeJournal journal) {
        this.database = Objects.requireNonNull(database, "database");
        this.dataSource = database.dataSource();
        this.journal = Objects.requireNonNull(journal, "journal");
    }

    /** The database, for transactions that join a claim with a handler's writes. */
    public DeadlineBoundDataSource database() {
        return database;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    @Override
    public long nextFencingToken() {
        return inConnection("taking the next fencing token", JdbcIdempotencyStore::nextFencingToken);
    }

    /** The next fencing token, on {@code c} (a sequence: it takes no lock and costs no commit of its own). */
    static long nextFencingToken(Connection c) throws SQLException {
        try (PreparedStatement next = c.prepareStatement("SELECT nextval('idempotency_fencing_token')");
                ResultSet rows = next.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * Inserts {@code record} in {@code c}'s open transaction unless its key is taken. {@code ON
     * CONFLICT DO NOTHING} (PostgreSQL, and H2 in its PostgreSQL mode) loses the race without an
     * error, so the transaction stays usable on PostgreSQL.
     *
     * @return true if inserted
     */
    boolean insertIfAbsent(Connection c, IdempotencyRecord record) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO idempotency_record (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, record.scope());
            insert.setString(2, record.key());
            bindMutableColumns(insert, 3, record, true);
            return journal.write(c, insert::executeUpdate, RECORDS.row(record.scope(), record.key())) == 1;
        }
    }

    /**
     * Inserts {@code record} in {@code c}'s open transaction unless its key is taken, with the next
     * fencing token, drawn by the insert itself (one statement where {@link #nextFencingToken} and
     * {@link #insertIfAbsent} take two); {@code record}'s own token is ignored.
     *
     * @return the record as inserted, with its token; empty if the key was taken
     */
    Optional<IdempotencyRecord> insertIfAbsentWithNextToken(Connection c, IdempotencyRecord record)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(INSERT_WITH_NEXT_TOKEN, new String[] {"fencing_token"})) {
            bindInsertWithNextToken(insert, 1, record);
            if (journal.write(c, insert::executeUpdate, RECORDS.row(record.scope(), record.key())) != 1) {
                return Optional.empty();
            }
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException(
                            "the insert of " + describe(record.scope(), record.key()) + " returned no fencing token");
                }
                return Optional.of(record.withFencingToken(keys.getLong(1)));
            }
        }
    }

    /**
     * {@link #insertIfAbsentWithNextToken} as a write to join with a handler's (PostgreSQL only:
     * whoever joins it adds {@code RETURNING fencing_token}).
     */
    JoinableWrite claimWrite(IdempotencyRecord record) {
        return JoinableWrite.of(
                INSERT_WITH_NEXT_TOKEN, (statement, first) -> bindInsertWithNextToken(statement, first, record));
    }

    private static int bindInsertWithNextToken(PreparedStatement insert, int first, IdempotencyRecord record)
            throws SQLException {
        insert.setString(first, record.scope());
        insert.setString(first + 1, record.key());
        return bindMutableColumns(insert, first + 2, record, false);
    }

    /**
     * Whether this store's writes may be joined with a handler's into one statement: on
     * PostgreSQL, with no change journal (the journal is H2's, and captures each write alone).
     * Asked once, lazily: the first request borrows a connection for it.
     */
    boolean joinsWrites() throws SQLException {
        Boolean joins = joinsWrites;
        if (joins == null) {
            joins = !journal.isOn() && SqlDialect.of(dataSource) == SqlDialect.POSTGRESQL;
            joinsWrites = joins;
        }
        return joins;
    }

    @Override
    public boolean insert(IdempotencyRecord record) {
        Objects.requireNonNull(record, "record");
        return inConnection("inserting the record of " + describe(record.scope(), record.key()), c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO idempotency_record (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, record.scope());
                insert.setString(2, record.key());
                bindMutableColumns(insert, 3, record, true);
                journal.write(c, insert::executeUpdate, RECORDS.row(record.scope(), record.key()));
                return true;
            } catch (SQLException e) {
                if (isUniqueViolation(e)) {
                    // The key is taken: the expected outcome of a race, not a failure. PostgreSQL needs the
                    // failed statement rolled back before the connection is usable in a transaction.
                    if (!c.getAutoCommit()) {
                        c.rollback();
                    }
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public Optional<IdempotencyRecord> find(String scope, String key) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(key, "key");
        return inConnection("reading the record of " + describe(scope, key), c -> find(c, scope, key));
    }

    /** {@link #find(String, String)} on {@code c}. */
    Optional<IdempotencyRecord> find(Connection c, String scope, String key) throws SQLException {
        try (PreparedStatement query =
                c.prepareStatement("SELECT " + COLUMNS + " FROM idempotency_record WHERE scope = ? AND idem_key = ?")) {
            query.setString(1, scope);
            query.setString(2, key);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    @Override
    public boolean replace(long expectedFencingToken, IdempotencyRecord record) {
        Objects.requireNonNull(record, "record");
        return inConnection(
                "replacing the record of " + describe(record.scope(), record.key()),
                c -> replace(c, expectedFencingToken, record));
    }

    /** {@link #replace(long, IdempotencyRecord)} on {@code c}. */
    boolean replace(Connection c, long expectedFencingToken, IdempotencyRecord record) throws SQLException {
        return replaceWrite(expectedFencingToken, record).run(c) == 1;
    }

    /** {@link #replace(Connection, long, IdempotencyRecord)} as a write to join with a handler's. */
    JoinableWrite replaceWrite(long expectedFencingToken, IdempotencyRecord record) {
        return journal.joinable(
                "UPDATE idempotency_record SET fingerprint = ?, state = ?, fencing_token = ?, created_at = ?,"
                        + " lease_expires_at = ?, completed_at = ?, expires_at = ?,"
                        + " response_status = ?, response_headers = ?, response_body = ?, holder_instance = ?, holder_epoch = ?"
                        + " WHERE scope = ? AND idem_key = ? AND fencing_token = ?",
                (update, first) -> {
                    int next = bindMutableColumns(update, first, record, true);
                    update.setString(next, record.scope());
                    update.setString(next + 1, record.key());
                    update.setLong(next + 2, expectedFencingToken);
                    return next + 3;
                },
                RECORDS.row(record.scope(), record.key()));
    }

    @Override
    public boolean delete(String scope, String key, long expectedFencingToken) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(key, "key");
        return inConnection(
                "deleting the record of " + describe(scope, key), c -> delete(c, scope, key, expectedFencingToken));
    }

    /** {@link #delete(String, String, long)} on {@code c}. */
    boolean delete(Connection c, String scope, String key, long expectedFencingToken) throws SQLException {
        return deleteWrite(scope, key, expectedFencingToken).run(c) == 1;
    }

    /** {@link #delete(Connection, String, String, long)} as a write to join with a handler's. */
    JoinableWrite deleteWrite(String scope, String key, long expectedFencingToken) {
        return journal.joinable(
                "DELETE FROM idempotency_record WHERE scope = ? AND idem_key = ? AND fencing_token = ?",
                (delete, first) -> {
                    delete.setString(first, scope);
                    delete.setString(first + 1, key);
                    delete.setLong(first + 2, expectedFencingToken);
                    return first + 3;
                },
                RECORDS.row(scope, key));
    }

    @Override
    public LeaseHolder register(String instanceId) {
        Objects.requireNonNull(instanceId, "instanceId");
        return inConnection("registering instance '" + instanceId + "'", c -> {
            LeaseHolder holder = new LeaseHolder(instanceId, nextFencingToken(c));
            OffsetDateTime now = databaseNow(c);
            try (PreparedStatement retire = c.prepareStatement(
                    "DELETE FROM idempotency_holder WHERE (instance_id = ? AND epoch < ?) OR heartbeat_at < ?")) {
                retire.setString(1, instanceId);
                retire.setLong(2, holder.epoch());
                retire.setObject(3, now.minus(FORGET_HOLDERS_AFTER));
                retire.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO idempotency_holder (instance_id, epoch, started_at, heartbeat_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, instanceId);
                insert.setLong(2, holder.epoch());
                insert.setObject(3, now);
                insert.setObject(4, now);
                insert.executeUpdate();
            }
            return holder;
        });
    }

    @Override
    public boolean beat(LeaseHolder holder) {
        Objects.requireNonNull(holder, "holder");
        return inConnection("refreshing the heartbeat of " + holder, c -> {
            try (PreparedStatement beat = c.prepareStatement(
                    "UPDATE idempotency_holder SET heartbeat_at = CURRENT_TIMESTAMP WHERE instance_id = ? AND epoch = ?")) {
                beat.setString(1, holder.instanceId());
                beat.setLong(2, holder.epoch());
                return beat.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void retire(LeaseHolder holder) {
        Objects.requireNonNull(holder, "holder");
        inConnection("retiring " + holder, c -> {
            try (PreparedStatement retire =
                    c.prepareStatement("DELETE FROM idempotency_holder WHERE instance_id = ? AND epoch = ?")) {
                retire.setString(1, holder.instanceId());
                retire.setLong(2, holder.epoch());
                return retire.executeUpdate();
            }
        });
    }

    @Override
    public boolean isAlive(LeaseHolder holder, Duration heartbeatTimeout) {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
        return inConnection("reading the heartbeat of " + holder, c -> isAlive(c, holder, heartbeatTimeout));
    }

    /**
     * {@link #isAlive(LeaseHolder, Duration)} on {@code c}. The age is taken on the database's
     * clock, the one that wrote the heartbeat, so instances whose clocks differ still agree.
     */
    boolean isAlive(Connection c, LeaseHolder holder, Duration heartbeatTimeout) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(
                "SELECT heartbeat_at, CURRENT_TIMESTAMP FROM idempotency_holder WHERE instance_id = ? AND epoch = ?")) {
            query.setString(1, holder.instanceId());
            query.setLong(2, holder.epoch());
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return false;
                }
                Instant beat = rows.getObject(1, OffsetDateTime.class).toInstant();
                Instant now = rows.getObject(2, OffsetDateTime.class).toInstant();
                return Duration.between(beat, now).compareTo(heartbeatTimeout) <= 0;
            }
        }
    }

    private static OffsetDateTime databaseNow(Connection c) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT CURRENT_TIMESTAMP");
                ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getObject(1, OffsetDateTime.class);
        }
    }

    @Override
    public int purgeExpired(Instant now, int limit) {
        // PostgreSQL has no DELETE ... LIMIT; a keyed subquery bounds the batch on both engines. The
        // outer conditions repeat the inner ones so a row that changed in between is left alone.
        return deleteBatch(
                "purging expired records", now, limit, "state <> 'IN_PROGRESS' AND expires_at <= ?", "expires_at");
    }

    @Override
    public int releaseExpiredClaims(Instant now, int limit) {
        return deleteBatch(
                "releasing expired claims",
                now,
                limit,
                "state = 'IN_PROGRESS' AND lease_expires_at <= ?",
                "lease_expires_at");
    }

    /** Deletes up to {@code limit} rows matching {@code condition} (one {@code ?}: now), oldest by {@code age} first. */
    private int deleteBatch(String what, Instant now, int limit, String condition, String age) {
        Objects.requireNonNull(now, "now");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, but was " + limit);
        }
        if (journal.isOn()) {
            return inConnection(what, c -> deleteBatchJournaled(c, now, limit, condition, age));
        }
        String sql = "DELETE FROM idempotency_record WHERE (scope, idem_key) IN ("
                + " SELECT scope, idem_key FROM idempotency_record WHERE " + condition + " ORDER BY " + age
                + " LIMIT ?)"
                + " AND " + condition;
        return inConnection(what, c -> {
            try (PreparedStatement delete = c.prepareStatement(sql)) {
                delete.setObject(1, timestamp(now));
                delete.setInt(2, limit);
                delete.setObject(3, timestamp(now));
                return delete.executeUpdate();
            }
        });
    }

    /**
     * The journaled purge: the batch's keys first, then one conditional delete per key with its
     * journal row, since the journal needs the key of each row deleted (and DELETE ... RETURNING is
     * not portable). A row that changed in between no longer matches and stays.
     */
    private int deleteBatchJournaled(Connection c, Instant now, int limit, String condition, String age)
            throws SQLException {
        List<String[]> keys = new java.util.ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT scope, idem_key FROM idempotency_record WHERE "
                + condition + " ORDER BY " + age + " LIMIT ?")) {
            select.setObject(1, timestamp(now));
            select.setInt(2, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    keys.add(new String[] {rows.getString(1), rows.getString(2)});
                }
            }
        }
        int deleted = 0;
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM idempotency_record WHERE scope = ? AND idem_key = ? AND " + condition)) {
            for (String[] key : keys) {
                delete.setString(1, key[0]);
                delete.setString(2, key[1]);
                delete.setObject(3, timestamp(now));
                deleted += journal.write(c, delete::executeUpdate, RECORDS.row(key[0], key[1]));
            }
        }
        return deleted;
    }

    /**
     * Binds fingerprint … holder_epoch from {@code first}, the fencing token only if {@code
     * withToken}; returns the next parameter index.
     */
    private static int bindMutableColumns(
            PreparedStatement statement, int first, IdempotencyRecord record, boolean withToken) throws SQLException {
        int i = first;
        statement.setString(i++, record.fingerprint());
        statement.setString(i++, record.state().name());
        if (withToken) {
            statement.setLong(i++, record.fencingToken());
        }
        setTimestamp(statement, i++, record.createdAt());
        setTimestamp(statement, i++, record.leaseExpiresAt());
        setTimestamp(statement, i++, record.completedAt());
        setTimestamp(statement, i++, record.expiresAt());
        StoredResponse response = record.response();
        if (response == null) {
            statement.setNull(i++, Types.INTEGER);
            statement.setNull(i++, Types.VARCHAR);
            statement.setNull(i++, Types.VARBINARY);
        } else {
            statement.setInt(i++, response.status());
            statement.setString(i++, headersToJson(response.headers()));
            statement.setBytes(i++, response.body());
        }
        LeaseHolder holder = record.holder();
        if (holder == null) {
            statement.setNull(i++, Types.VARCHAR);
            statement.setNull(i++, Types.BIGINT);
        } else {
            statement.setString(i++, holder.instanceId());
            statement.setLong(i++, holder.epoch());
        }
        return i;
    }

    private static IdempotencyRecord read(ResultSet row) throws SQLException {
        String scope = row.getString("scope");
        String key = row.getString("idem_key");
        try {
            StoredResponse response = null;
            int status = row.getInt("response_status");
            if (!row.wasNull()) {
                byte[] body = row.getBytes("response_body");
                response = new StoredResponse(
                        status, headersFromJson(row.getString("response_headers")), body == null ? new byte[0] : body);
            }
            String holderInstance = row.getString("holder_instance");
            LeaseHolder holder =
                    holderInstance == null ? null : new LeaseHolder(holderInstance, row.getLong("holder_epoch"));
            return new IdempotencyRecord(
                    scope,
                    key,
                    row.getString("fingerprint").trim(),
                    IdempotencyRecord.State.valueOf(row.getString("state")),
                    row.getLong("fencing_token"),
                    instant(row, "created_at"),
                    instant(row, "lease_expires_at"),
                    instant(row, "completed_at"),
                    instant(row, "expires_at"),
                    response,
                    holder);
        } catch (IllegalArgumentException | JsonProcessingException corrupt) {
            throw new IdempotencyStoreException(
                    "the stored record of " + describe(scope, key) + " is unreadable: " + corrupt.getMessage(),
                    corrupt);
        }
    }

    private <T> T inConnection(String what, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            try {
                T result = work.run(connection);
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                if (!connection.getAutoCommit()) {
                    rollbackQuietly(connection, e);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IdempotencyStoreException(what + " failed: " + e.getMessage(), e);
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailed) {
            cause.addSuppressed(rollbackFailed);
        }
    }

    private static boolean isUniqueViolation(SQLException e) {
        for (SQLException current = e; current != null; current = current.getNextException()) {
            if (UNIQUE_VIOLATION.equals(current.getSQLState())) {
                return true;
            }
        }
        return e.getCause() instanceof SQLException cause && UNIQUE_VIOLATION.equals(cause.getSQLState());
    }

    private static void setTimestamp(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, timestamp(instant));
        }
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static String headersToJson(Map<String, List<String>> headers) {
        try {
            return HEADERS_JSON.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serializes", e);
        }
    }

    private static Map<String, List<String>> headersFromJson(String json) throws JsonProcessingException {
        return json == null ? Map.of() : HEADERS_JSON.readValue(json, HEADERS_TYPE);
    }

    private static String describe(String scope, String key) {
        return "'" + key + "' in " + scope;
    }
}
