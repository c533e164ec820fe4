package io.valerix.core.backup;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.jdbc.SchemaMigrations;
import io.valerix.core.journal.ChangeJournal;
import io.valerix.core.journal.JournaledTable;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

/** A tiny journaled store over an H2 database for the backup tests: one line per write, as in the real stores. */
final class Widgets implements AutoCloseable {

    static final JournaledTable WIDGET = JournaledTable.of("widget", "id");
    static final JournaledTable TALLY = JournaledTable.of("tally", "id");

    final HikariDataSource db;
    final ChangeJournal journal;

    Widgets(Path directory, String name, ChangeJournal journal, int poolSize) {
        this.db = H2Database.open(directory, name, poolSize);
        this.journal = journal;
        SchemaMigrations.migrate(db, "widgets");
        journal.install(db);
    }

    /** Inserts or replaces widget {@code id}: one transaction with its journal row. */
    void put(String id, int n) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM widget WHERE id = ?")) {
                    delete.setString(1, id);
                    delete.executeUpdate();
                }
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO widget (id, n, note, data, price, at) VALUES (?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, id);
                    insert.setInt(2, n);
                    insert.setString(3, "note 'of' " + id + " \u00e9\u20ac");
                    insert.setBytes(4, new byte[] {0, 1, (byte) n, (byte) 0xff});
                    insert.setBigDecimal(5, new BigDecimal("12.3456"));
                    insert.setObject(
                            6, OffsetDateTime.ofInstant(Instant.parse("2025-01-02T03:04:05.123456Z"), ZoneOffset.UTC));
                    insert.executeUpdate();
                }
                journal.capture(c, WIDGET.row(id));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Deletes widget {@code id} with its journal row. */
    void delete(String id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement delete = c.prepareStatement("DELETE FROM widget WHERE id = ?")) {
            delete.setString(1, id);
            journal.write(c, delete::executeUpdate, WIDGET.row(id));
        }
    }

    /** Adds one to the tally row and journals it: the value written is the order of commits. */
    long bumpTally() throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement bump = c.prepareStatement("UPDATE tally SET total = total + 1 WHERE id = 1")) {
                    bump.executeUpdate();
                }
                journal.capture(c, TALLY.row(1));
                long value;
                try (PreparedStatement read = c.prepareStatement("SELECT total FROM tally WHERE id = 1");
                        ResultSet row = read.executeQuery()) {
                    row.next();
                    value = row.getLong(1);
                }
                c.commit();
                return value;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** id -> n of every widget. */
    Map<String, Integer> contents() throws SQLException {
        return contents(db);
    }

    static Map<String, Integer> contents(javax.sql.DataSource db) throws SQLException {
        Map<String, Integer> found = new TreeMap<>();
        try (Connection c = db.getConnection();
                PreparedStatement read = c.prepareStatement("SELECT id, n FROM widget");
                ResultSet rows = read.executeQuery()) {
            while (rows.next()) {
                found.put(rows.getString(1), rows.getInt(2));
            }
        }
        return found;
    }

    @Override
    public void close() {
        db.close();
    }
}
