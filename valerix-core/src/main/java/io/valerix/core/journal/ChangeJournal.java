package io.valerix.core.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.valerix.core.jdbc.JoinableWrite;
import io.valerix.core.jdbc.SchemaMigrations;
import io.valerix.core.journal.internal.RowCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The change journal: every business write also appends the written row's after-image to table
 * {@code valerix_journal}, in the same transaction, numbered without holes in commit order. The
 * {@link io.valerix.core.backup.JournalArchiver} ships those rows to the archive; {@link
 * io.valerix.core.backup.PointInTimeRestore} applies them on top of a base backup. The journal knows
 * nothing of backups: it is part of the stores' write path.
 *
 * <p><b>Numbering.</b> Numbers come from one counter row ({@code valerix_journal_counter}) that
 * {@link #capture} updates inside the writing transaction. Its row lock is held until commit, so
 * the next writer takes the next number only after this one committed: numbers follow commit
 * order, and a rollback gives its numbers back. The price is that journaled transactions commit
 * one at a time from their capture on; capture last, after every other write of the transaction,
 * so the lock is held only for the capture and the commit (and so no transaction holding the
 * counter ever waits for a row lock another journaled writer holds). docs/backup.md gives the
 * measured cost.
 *
 * <p><b>Time.</b> Each capture stamps its rows with the clock's time, but never earlier than the
 * previous capture's (kept in the counter row), so time never decreases with the number and a
 * restore to a time restores a prefix of the journal. Call {@link #capture} once per transaction
 * with all its rows, so they share one time and a restore to a time never splits a transaction.
 *
 * <p><b>Off.</b> {@link #off()} journals nothing: {@link #capture} does nothing and {@link #write}
 * runs its statement exactly as it would run without a journal (in auto-commit, if that is how the
 * connection came). Stores take a journal and default to off.
 *
 * <p>Immutable and thread-safe. Failures are the database's {@link SQLException}s, thrown in the
 * writing transaction so that it rolls back with its journal rows.
 */
public final class ChangeJournal {

    /** The schema name of the journal's tables: {@code SchemaMigrations.migrate(dataSource, SCHEMA)}. */
    public static final String SCHEMA = "journal";

    private static final ChangeJournal OFF = new ChangeJournal(null);
    private static final String BUMP =
            "UPDATE valerix_journal_counter SET last_seq = last_seq + ?, last_at = GREATEST(last_at, ?) WHERE id = 1";
    private static final String READ_COUNTER = "SELECT last_seq, last_at FROM valerix_journal_counter WHERE id = 1";
    private static final String APPEND =
            "INSERT INTO valerix_journal (seq, committed_at, table_name, op, row_key, row_image) VALUES (?, ?, ?, ?, ?, ?)";

    private final InstantSource clock;

    private ChangeJournal(InstantSource clock) {
        this.clock = clock;
    }

    /** A journal that records nothing: stores behave exactly as they would without one. */
    public static ChangeJournal off() {
        return OFF;
    }

    /** A journal that stamps rows with {@code clock}'s time (see the class comment on time). */
    public static ChangeJournal on(InstantSource clock) {
        return new ChangeJournal(Objects.requireNonNull(clock, "clock"));
    }

    /** Whether this journal records anything. */
    public boolean isOn() {
        return clock != null;
    }

    /**
     * Creates the journal's tables in {@code dataSource} if they are missing; does nothing when off.
     * Safe to call from every store on one database and from several instances at once.
     *
     * @throws IllegalStateException if the migration fails, or the database is not H2: on
     *     PostgreSQL the database's own WAL is the archive ({@link
     *     io.valerix.core.backup.WalArchiver}), and a journal would
     *     only slow every write
     */
    public void install(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        if (isOn()) {
            requireH2(dataSource);
            SchemaMigrations.migrate(dataSource, SCHEMA);
        }
    }

    /** One write statement, such as {@code PreparedStatement::executeUpdate}. */
    @FunctionalInterface
    public interface Write {
        /** Runs the statement; returns how many rows it changed. */
        int run() throws SQLException;
    }

    /**
     * Runs one write of {@code row} and, if it changed anything, captures the row, in one
     * transaction. When off, runs the write alone, exactly as without a journal. When on and the
     * connection is in auto-commit mode, this opens the transaction, commits it (or rolls it back
     * on failure) and restores auto-commit; when a transaction is already open, it joins it and
     * leaves the commit to the caller.
     *
     * @return what the write returned: the rows it changed
     * @throws SQLException from the write or the capture; the transaction this opened is rolled back
     */
    public int write(Connection connection, Write write, JournaledTable.Row row) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(write, "write");
        Objects.requireNonNull(row, "row");
        if (!isOn() || !connection.getAutoCommit()) {
            int changed = write.run();
            if (changed > 0) {
                capture(connection, row);
            }
            return changed;
        }
        connection.setAutoCommit(false);
        try {
            int changed = write.run();
            if (changed > 0) {
                capture(connection, row);
            }
            connection.commit();
            return changed;
        } catch (SQLException | RuntimeException | Error failure) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailed) {
                failure.addSuppressed(rollbackFailed);
            }
            throw failure;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * {@code sql}, one INSERT, UPDATE or DELETE of {@code row}, as a write another may join: when
     * off, the statement itself ({@link JoinableWrite#of}); when on, a write that runs alone through
     * {@link #write}, since a joined statement would commit without its journal row.
     */
    public JoinableWrite joinable(String sql, JoinableWrite.Parameters parameters, JournaledTable.Row row) {
        Objects.requireNonNull(row, "row");
        JoinableWrite statement = JoinableWrite.of(sql, parameters);
        if (!isOn()) {
            return statement;
        }
        return JoinableWrite.alone(connection -> {
            try (PreparedStatement write = connection.prepareStatement(sql)) {
                parameters.bind(write, 1);
                return write(connection, write::executeUpdate, row);
            }
        });
    }

    /**
     * Appends the current state of {@code rows} to the journal, in the connection's open
     * transaction: for each, its row as this transaction sees it now ({@code SELECT *} by key), or a
     * delete if there is none. Call it once per transaction, after the transaction's last write,
     * with parent rows before the rows that refer to them. Does nothing when off.
     *
     * @throws IllegalStateException if the connection is in auto-commit mode: the journal rows would
     *     commit apart from the write
     * @throws SQLException if a read or the append fails, or the journal is not installed
     */
    public void capture(Connection connection, JournaledTable.Row... rows) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        if (!isOn() || rows.length == 0) {
            return;
        }
        if (connection.getAutoCommit()) {
            throw new IllegalStateException(
                    "capture must run in the write's transaction, but the connection is in auto-commit mode");
        }
        String[] keys = new String[rows.length];
        String[] images = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
            JournaledTable.Row row = Objects.requireNonNull(rows[i], "row");
            keys[i] = json(keyOf(row));
            ObjectNode image = readImage(connection, row);
            images[i] = image == null ? null : json(image);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        long lastSeq;
        OffsetDateTime at;
        // The counter last: its lock is held from here to commit, so take it as late as possible.
        try (PreparedStatement bump = connection.prepareStatement(BUMP)) {
            bump.setInt(1, rows.length);
            bump.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            if (bump.executeUpdate() != 1) {
                throw new SQLException(
                        "the change journal's counter row is missing; install the journal first (schema '" + SCHEMA
                                + "')");
            }
        }
        try (PreparedStatement read = connection.prepareStatement(READ_COUNTER);
                ResultSet counter = read.executeQuery()) {
            counter.next();
            lastSeq = counter.getLong(1);
            at = counter.getObject(2, OffsetDateTime.class);
        }
        try (PreparedStatement append = connection.prepareStatement(APPEND)) {
            long seq = lastSeq - rows.length;
            for (int i = 0; i < rows.length; i++) {
                append.setLong(1, ++seq);
                append.setObject(2, at);
                append.setString(3, rows[i].table().name());
                append.setString(4, images[i] == null ? "DELETE" : "PUT");
                append.setString(5, keys[i]);
                append.setString(6, images[i]);
                append.addBatch();
            }
            append.executeBatch();
        }
    }

    private static void requireH2(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection
                    .getMetaData()
                    .getDatabaseProductName()
                    .toLowerCase(Locale.ROOT)
                    .contains("h2")) {
                throw new IllegalStateException("the change journal is for H2; this database runs on "
                        + connection.getMetaData().getDatabaseProductName()
                        + " (PostgreSQL archives its own WAL: use WalArchiver and"
                        + " ChangeJournal.off())");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "checking the database engine for the change journal failed: " + e.getMessage(), e);
        }
    }

    private static ObjectNode keyOf(JournaledTable.Row row) {
        ObjectNode key = RowCodec.JSON.createObjectNode();
        List<String> columns = row.table().keyColumns();
        for (int i = 0; i < columns.size(); i++) {
            key.set(columns.get(i), RowCodec.encode(row.keyValues().get(i)));
        }
        return key;
    }

    private static ObjectNode readImage(Connection connection, JournaledTable.Row row) throws SQLException {
        JournaledTable table = row.table();
        StringBuilder sql =
                new StringBuilder("SELECT * FROM ").append(table.name()).append(" WHERE ");
        for (int i = 0; i < table.keyColumns().size(); i++) {
            sql.append(i == 0 ? "" : " AND ").append(table.keyColumns().get(i)).append(" = ?");
        }
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < row.keyValues().size(); i++) {
                select.setObject(i + 1, row.keyValues().get(i));
            }
            try (ResultSet found = select.executeQuery()) {
                return found.next() ? RowCodec.readRow(found) : null;
            }
        }
    }

    private static String json(ObjectNode node) {
        try {
            return RowCodec.JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of JSON nodes always serializes", e);
        }
    }

    @Override
    public String toString() {
        return isOn() ? "ChangeJournal[on]" : "ChangeJournal[off]";
    }
}
