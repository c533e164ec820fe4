package io.valerix.core.backup;

import io.valerix.core.backup.internal.Engines;
import io.valerix.core.backup.internal.Lsn;
import io.valerix.core.backup.internal.Sha256;
import io.valerix.core.journal.internal.RowCodec;
import io.valerix.core.time.NanoClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * What a database holds, in brief: per table, its row count and a SHA-256 over its rows in
 * canonical form, all read in one snapshot together with the position {@code seq} that snapshot
 * is at: the journal row on H2, the WAL position on PostgreSQL. Two databases with equal digests hold the same rows; {@link #differences}
 * names the tables that differ. {@code valerix backup verify} compares a live database's digest
 * with that of a restore to the same position.
 *
 * <p>Every table in the connection's schema counts except the journal's own two and the
 * idempotency holders' heartbeats (liveness, not data: never journaled), so an unjournaled write
 * shows up as a difference. Reads every row: meant for verification, not for a
 * hot path. Immutable.
 */
public record DatabaseDigest(String database, long seq, Map<String, TableDigest> tables) {

    /** How long a digest on PostgreSQL keeps trying to find a moment without writers in flight. */
    private static final java.time.Duration LOCK_PATIENCE = java.time.Duration.ofSeconds(60);

    private static final Set<String> JOURNAL_TABLES =
            Set.of("valerix_journal", "valerix_journal_counter", "idempotency_holder");

    /** One table's row count and SHA-256 (hex) over its sorted canonical rows. */
    public record TableDigest(long rows, String sha256) {}

    public DatabaseDigest {
        Objects.requireNonNull(database, "database");
        tables = Collections.unmodifiableMap(new TreeMap<>(tables));
    }

    /**
     * The digest of the database behind {@code dataSource}, read in one snapshot.
     *
     * <p>On PostgreSQL this holds the database's tables against writers (SHARE lock, taken without
     * waiting, retried for up to a minute) while it reads them, so that the position is exact;
     * reads are not held back.
     *
     * @throws BackupException if it cannot be read, or on H2 has no journal
     */
    public static DatabaseDigest of(String database, DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            boolean h2 = Engines.isH2(connection);
            List<String> names = tables(connection);
            try {
                Engines.beginSnapshot(connection);
                long seq = h2 ? journalPosition(connection, database) : walPosition(connection, names);
                Map<String, TableDigest> tables = new TreeMap<>();
                for (String table : names) {
                    tables.put(table, digest(connection, table));
                }
                return new DatabaseDigest(database, seq, tables);
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new BackupException("reading the digest of database '" + database + "' failed: " + e.getMessage(), e);
        }
    }

    private static long journalPosition(Connection connection, String database) throws SQLException {
        try (PreparedStatement counter =
                        connection.prepareStatement("SELECT last_seq FROM valerix_journal_counter WHERE id = 1");
                ResultSet row = counter.executeQuery()) {
            if (!row.next()) {
                throw new BackupException("database '" + database + "' has no journal counter row");
            }
            return row.getLong(1);
        }
    }

    /**
     * On PostgreSQL the position is a WAL position. The tables are locked against writers first
     * (SHARE mode waits for the writers in flight and holds new ones back until this transaction
     * ends), and only then does the first query take the snapshot and read the WAL flush position:
     * so every commit the snapshot sees lies before that position and every commit it does not see
     * lies after it, and a recovery to exactly that position holds exactly these rows.
     */
    private static long walPosition(Connection connection, List<String> tables) throws SQLException {
        if (!tables.isEmpty()) {
            lockAll(connection, tables);
        }
        try (PreparedStatement flush = connection.prepareStatement("SELECT pg_current_wal_flush_lsn()::text");
                ResultSet row = flush.executeQuery()) {
            row.next();
            return Lsn.parse(row.getString(1));
        }
    }

    /**
     * Locks every table at once or none, without waiting: a LOCK that waits for a writer holding one
     * table, while that writer waits for another table this already holds, is a deadlock, and
     * PostgreSQL would abort one of the two (perhaps the order). NOWAIT never waits, so it never
     * closes a cycle; it is retried, with a savepoint so a refusal does not end the transaction,
     * until a moment when no writer is in flight.
     */
    private static void lockAll(Connection connection, List<String> tables) throws SQLException {
        long deadline = NanoClock.system().nanoTime() + LOCK_PATIENCE.toNanos();
        // Table names come from the database's own catalog, not from input.
        String lock = "LOCK TABLE " + String.join(", ", tables) + " IN SHARE MODE NOWAIT";
        for (int attempt = 1; ; attempt++) {
            java.sql.Savepoint before = connection.setSavepoint();
            try (Statement statement = connection.createStatement()) {
                statement.execute(lock);
                connection.releaseSavepoint(before);
                return;
            } catch (SQLException e) {
                if (!"55P03".equals(e.getSQLState())
                        || NanoClock.system().nanoTime() > deadline) { // lock_not_available
                    throw e;
                }
                connection.rollback(before);
            }
            try {
                Thread.sleep(Math.min(50, 2L * attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting to lock " + tables, e);
            }
        }
    }

    /**
     * What differs from {@code other}, one line per table (missing on either side, other row count,
     * other rows); empty if they hold the same rows.
     */
    public List<String> differences(DatabaseDigest other) {
        List<String> found = new ArrayList<>();
        Set<String> names = new TreeSet<>(tables.keySet());
        names.addAll(other.tables.keySet());
        for (String name : names) {
            TableDigest mine = tables.get(name);
            TableDigest theirs = other.tables.get(name);
            if (mine == null || theirs == null) {
                found.add(name + ": only in " + (mine == null ? other.database : database));
            } else if (mine.rows() != theirs.rows()) {
                found.add(name + ": " + mine.rows() + " rows vs " + theirs.rows());
            } else if (!mine.sha256().equals(theirs.sha256())) {
                found.add(name + ": " + mine.rows() + " rows each, but their contents differ");
            }
        }
        return found;
    }

    private static List<String> tables(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        List<String> names = new ArrayList<>();
        try (ResultSet rows =
                meta.getTables(connection.getCatalog(), connection.getSchema(), "%", new String[] {"TABLE"})) {
            while (rows.next()) {
                String name = rows.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                if (!JOURNAL_TABLES.contains(name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static TableDigest digest(Connection connection, String table) throws SQLException {
        List<String> lines = new ArrayList<>();
        // Table names come from the database's own catalog, not from input.
        try (PreparedStatement select = connection.prepareStatement("SELECT * FROM " + table);
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                lines.add(RowCodec.canonicalLine(rows));
            }
        }
        // Sorted here rather than with ORDER BY, so two engines' collations cannot disagree.
        Collections.sort(lines);
        MessageDigest sha = Sha256.newDigest();
        for (String line : lines) {
            sha.update(line.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
        }
        return new TableDigest(lines.size(), Sha256.hex(sha));
    }
}
