package io.valerix.inventory.internal;

import io.valerix.inventory.Reservation;
import io.valerix.inventory.ReservationStatus;
import io.valerix.inventory.StockLevel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The inventory's SQL, one method per statement, on a connection the caller owns (and whose
 * transaction it controls).
 *
 * <p>INSERT, UPDATE and SELECT that run unchanged on H2 (in its PostgreSQL mode) and PostgreSQL,
 * except {@link #RESERVE_IN_ONE_STATEMENT}, which only PostgreSQL runs.
 * Races are settled by the primary key on {@code order_id} ({@code ON CONFLICT DO NOTHING} waits
 * for a racing insert to end, then inserts nothing) and by updates whose WHERE clause re-checks the
 * condition on the row they lock.
 */
final class InventorySql {

    private static final String FIND_RESERVATION =
            "SELECT sku, quantity, status FROM inventory_reservation WHERE order_id = ?";
    private static final String SKU_EXISTS = "SELECT 1 FROM inventory_stock WHERE sku = ?";
    private static final String INSERT_RESERVATION =
            "INSERT INTO inventory_reservation (order_id, sku, quantity, status, created_at, updated_at)"
                    + " VALUES (?, ?, ?, 'RESERVED', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING";
    /**
     * PostgreSQL only (a data-modifying WITH): the whole reserve of a new order id as one statement.
     * The stock is taken first, and the row records whether it was; if the order id has a row
     * already, the insert fails on the primary key and the statement, stock taken included, has
     * done nothing. An unknown SKU takes nothing and fails the foreign key.
     */
    private static final String RESERVE_IN_ONE_STATEMENT = "WITH taken AS ("
            + "UPDATE inventory_stock SET available = available - ? WHERE sku = ? AND available >= ? RETURNING sku)"
            + " INSERT INTO inventory_reservation (order_id, sku, quantity, status, created_at, updated_at)"
            + " SELECT ?, ?, ?, CASE WHEN EXISTS (SELECT 1 FROM taken) THEN 'RESERVED' ELSE 'REJECTED' END,"
            + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP RETURNING status";

    private static final String INSERT_TOMBSTONE =
            "INSERT INTO inventory_reservation (order_id, sku, quantity, status, created_at, updated_at)"
                    + " VALUES (?, NULL, NULL, 'CANCELLED', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)";
    private static final String TAKE_STOCK =
            "UPDATE inventory_stock SET available = available - ? WHERE sku = ? AND available >= ?";
    private static final String RETURN_STOCK = "UPDATE inventory_stock SET available = available + ? WHERE sku = ?";
    private static final String MARK_REJECTED =
            "UPDATE inventory_reservation SET status = 'REJECTED', updated_at = CURRENT_TIMESTAMP"
                    + " WHERE order_id = ? AND status = 'RESERVED'";
    private static final String MARK_RELEASED =
            "UPDATE inventory_reservation SET status = 'RELEASED', updated_at = CURRENT_TIMESTAMP"
                    + " WHERE order_id = ? AND status = 'RESERVED'";
    private static final String INSERT_STOCK = "INSERT INTO inventory_stock (sku, available, total) VALUES (?, ?, ?)";
    // One statement, so available and the sum of reservations come from one snapshot and a checker
    // never sees a reservation without its stock decrement (or the other way round).
    private static final String STOCK_LEVELS = "SELECT s.sku, s.available, s.total,"
            + " COALESCE((SELECT SUM(r.quantity) FROM inventory_reservation r"
            + " WHERE r.sku = s.sku AND r.status = 'RESERVED'), 0) AS reserved"
            + " FROM inventory_stock s";

    // Order ids are [A-Za-z0-9._:-], so '_' is the only LIKE wildcard a prefix can hold.
    private static final String LIST_RESERVATIONS = "SELECT order_id, sku, quantity, status FROM inventory_reservation"
            + " WHERE order_id LIKE ? ESCAPE '!' AND order_id > ? ORDER BY order_id LIMIT ?";

    private InventorySql() {}

    /** Records whose order id starts with {@code prefix} and sorts after {@code after}, by order id. */
    static List<Reservation> listReservations(Connection connection, String prefix, String after, int limit)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(LIST_RESERVATIONS)) {
            query.setString(1, prefix.replace("!", "!!").replace("_", "!_").replace("%", "!%") + "%");
            query.setString(2, after == null ? "" : after);
            query.setInt(3, limit);
            List<Reservation> page = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    page.add(new Reservation(
                            rows.getString(1),
                            rows.getString(2),
                            rows.getInt(3),
                            ReservationStatus.valueOf(rows.getString(4))));
                }
            }
            return page;
        }
    }

    /** The record for {@code orderId}, or null if there is none. */
    static Reservation findReservation(Connection connection, String orderId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(FIND_RESERVATION)) {
            query.setString(1, orderId);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                return new Reservation(
                        orderId, row.getString(1), row.getInt(2), ReservationStatus.valueOf(row.getString(3)));
            }
        }
    }

    static boolean skuExists(Connection connection, String sku) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(SKU_EXISTS)) {
            query.setString(1, sku);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    /**
     * Inserts a RESERVED row for {@code orderId} unless it has one; when another transaction
     * inserted it and has not finished, the database first waits for it.
     *
     * @return true if inserted, false if the order id had a row
     * @throws SQLException a foreign-key violation ({@code SqlDialect.isForeignKeyViolation}) if
     *     {@code sku} is not stocked
     */
    static boolean insertReservationIfAbsent(Connection connection, String orderId, String sku, int quantity)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_RESERVATION)) {
            insert.setString(1, orderId);
            insert.setString(2, sku);
            insert.setInt(3, quantity);
            return insert.executeUpdate() == 1;
        }
    }

    /**
     * The reserve of a new order id in one statement ({@link #RESERVE_IN_ONE_STATEMENT}; PostgreSQL
     * only): true if the stock was taken (RESERVED), false if there was not enough (REJECTED).
     *
     * @throws SQLException a unique violation if the order id has a row already, a foreign-key
     *     violation if {@code sku} is not stocked; either way nothing was written
     */
    static boolean reserveInOneStatement(Connection connection, String orderId, String sku, int quantity)
            throws SQLException {
        try (PreparedStatement reserve = connection.prepareStatement(RESERVE_IN_ONE_STATEMENT)) {
            reserve.setInt(1, quantity);
            reserve.setString(2, sku);
            reserve.setInt(3, quantity);
            reserve.setString(4, orderId);
            reserve.setString(5, sku);
            reserve.setInt(6, quantity);
            try (ResultSet inserted = reserve.executeQuery()) {
                if (!inserted.next()) {
                    throw new SQLException("the reserve of " + orderId + " inserted no row and raised no error");
                }
                return ReservationStatus.valueOf(inserted.getString(1)) == ReservationStatus.RESERVED;
            }
        }
    }

    /** Inserts a CANCELLED tombstone; SQLState 23505 if the order id has a row already. */
    static int insertTombstone(Connection connection, String orderId) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_TOMBSTONE)) {
            insert.setString(1, orderId);
            return insert.executeUpdate();
        }
    }

    /** Takes {@code quantity} if that much is available, in one conditional update. */
    static boolean takeStock(Connection connection, String sku, int quantity) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(TAKE_STOCK)) {
            update.setInt(1, quantity);
            update.setString(2, sku);
            update.setInt(3, quantity);
            return update.executeUpdate() == 1;
        }
    }

    static void returnStock(Connection connection, String sku, int quantity) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(RETURN_STOCK)) {
            update.setInt(1, quantity);
            update.setString(2, sku);
            if (update.executeUpdate() != 1) {
                // The foreign key makes this impossible; fail the transaction rather than lose stock.
                throw new SQLException("no stock row for sku '" + sku + "' to return " + quantity + " to");
            }
        }
    }

    /** Turns the RESERVED row this transaction just inserted into REJECTED. */
    static void markRejected(Connection connection, String orderId) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(MARK_REJECTED)) {
            update.setString(1, orderId);
            if (update.executeUpdate() != 1) {
                throw new SQLException("reservation '" + orderId + "' was not RESERVED in its own transaction");
            }
        }
    }

    /**
     * RESERVED to RELEASED, if the row is still RESERVED once locked. Of two releases racing, only
     * one sees 1 row updated, so only one gives the stock back.
     */
    static boolean markReleased(Connection connection, String orderId) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(MARK_RELEASED)) {
            update.setString(1, orderId);
            return update.executeUpdate() == 1;
        }
    }

    /** Inserts a SKU with {@code quantity} available of {@code quantity}; 23505 if it exists. */
    static int insertStock(Connection connection, String sku, int quantity) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_STOCK)) {
            insert.setString(1, sku);
            insert.setInt(2, quantity);
            insert.setInt(3, quantity);
            return insert.executeUpdate();
        }
    }

    /** The stock of {@code sku}, or of every SKU if it is null, ordered by SKU. */
    static List<StockLevel> stockLevels(Connection connection, String sku) throws SQLException {
        String sql = sku == null ? STOCK_LEVELS + " ORDER BY s.sku" : STOCK_LEVELS + " WHERE s.sku = ?";
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            if (sku != null) {
                query.setString(1, sku);
            }
            List<StockLevel> levels = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    levels.add(new StockLevel(rows.getString(1), rows.getLong(2), rows.getLong(4), rows.getLong(3)));
                }
            }
            return levels;
        }
    }
}
