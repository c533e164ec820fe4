package io.valerix.examples;

// snippet:start journal-imports
import io.valerix.core.journal.ChangeJournal;
import io.valerix.core.journal.JournaledTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;
import javax.sql.DataSource;
// snippet:end journal-imports

/**
 * The change journal in tables of your own: a shop's orders, stock and reservations, each write
 * journaled in its transaction so that a {@link io.valerix.core.backup.JournalArchiver} can ship it
 * and a point-in-time restore can replay it. docs/backup.md shows these regions;
 * {@code JournaledOwnTablesTest} and {@code ArchivingBackupAndRestoreTest} run them on H2.
 */
public final class JournaledOwnTables {

    // snippet:start journal-tables
    static final JournaledTable ORDERS = JournaledTable.of("orders", "order_id");
    static final JournaledTable STOCK = JournaledTable.of("stock", "sku");
    static final JournaledTable RESERVATIONS = JournaledTable.of("reservations", "order_id");
    // snippet:end journal-tables

    private JournaledOwnTables() {}

    /** Creates the shop's tables (if missing) and the journal's in {@code dataSource}, an H2 database. */
    public static ChangeJournal install(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement ddl = connection.createStatement()) {
            ddl.execute(
                    "CREATE TABLE IF NOT EXISTS stock (sku VARCHAR(64) PRIMARY KEY, available INTEGER NOT NULL CHECK (available >= 0))");
            ddl.execute(
                    "CREATE TABLE IF NOT EXISTS orders (order_id VARCHAR(64) PRIMARY KEY, sku VARCHAR(64) NOT NULL, quantity INTEGER NOT NULL)");
            ddl.execute(
                    "CREATE TABLE IF NOT EXISTS reservations (order_id VARCHAR(64) PRIMARY KEY REFERENCES orders (order_id),"
                            + " sku VARCHAR(64) NOT NULL REFERENCES stock (sku), quantity INTEGER NOT NULL)");
        }
        // snippet:start journal-install
        ChangeJournal journal = ChangeJournal.on(InstantSource.system()); // or ChangeJournal.off()
        journal.install(dataSource); // db/journal/V1__create_journal.sql
        // snippet:end journal-install
        return journal;
    }

    /** Puts {@code available} units of {@code sku} in stock: one journaled statement. */
    public static void stock(ChangeJournal journal, DataSource dataSource, String sku, int available)
            throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement merge =
                        connection.prepareStatement("MERGE INTO stock (sku, available) KEY (sku) VALUES (?, ?)")) {
            merge.setString(1, sku);
            merge.setInt(2, available);
            journal.write(connection, merge::executeUpdate, STOCK.row(sku));
        }
    }

    /**
     * Records order {@code orderId} (its own transaction), then takes its stock and reserves it
     * (one more). If the stock is short, the reservation rolls back and the order stays unreserved.
     */
    public static void placeOrder(
            ChangeJournal journal, DataSource dataSource, String orderId, String sku, int quantity)
            throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO orders (order_id, sku, quantity) VALUES (?, ?, ?)")) {
            insert.setString(1, orderId);
            insert.setString(2, sku);
            insert.setInt(3, quantity);
            try {
                // snippet:start journal-writes
                // one statement with its journal row: a transaction of its own when the connection auto-commits
                journal.write(connection, insert::executeUpdate, ORDERS.row(orderId));

                // several writes in your own transaction: capture once, after the last write, parents first
                connection.setAutoCommit(false);
                takeStock(connection, sku, quantity);
                insertReservation(connection, orderId, sku, quantity);
                journal.capture(connection, STOCK.row(sku), RESERVATIONS.row(orderId));
                connection.commit();
                // snippet:end journal-writes
            } catch (SQLException | RuntimeException e) {
                if (!connection.getAutoCommit()) {
                    connection.rollback(); // neither the stock nor the reservation, nor their journal rows
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static void takeStock(Connection connection, String sku, int quantity) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE stock SET available = available - ? WHERE sku = ? AND available >= ?")) {
            update.setInt(1, quantity);
            update.setString(2, sku);
            update.setInt(3, quantity);
            if (update.executeUpdate() != 1) {
                throw new SQLException("not enough " + sku + " in stock for " + quantity);
            }
        }
    }

    private static void insertReservation(Connection connection, String orderId, String sku, int quantity)
            throws SQLException {
        try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO reservations (order_id, sku, quantity) VALUES (?, ?, ?)")) {
            insert.setString(1, orderId);
            insert.setString(2, sku);
            insert.setInt(3, quantity);
            insert.executeUpdate();
        }
    }
}
