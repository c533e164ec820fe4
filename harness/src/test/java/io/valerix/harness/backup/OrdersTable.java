package io.valerix.harness.backup;

import io.valerix.inventory.ReservationStatus;
import io.valerix.order.Order;
import io.valerix.order.OrderStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/** Reads whole tables of a (restored) database, for assertions. */
final class OrdersTable {

    private OrdersTable() {}

    static Map<String, Order> all(DataSource db) throws SQLException {
        Map<String, Order> orders = new HashMap<>();
        try (Connection c = db.getConnection();
                PreparedStatement read = c.prepareStatement(
                        "SELECT order_id, sku, quantity, status, message, created_at, updated_at FROM orders");
                ResultSet rows = read.executeQuery()) {
            while (rows.next()) {
                orders.put(
                        rows.getString(1),
                        new Order(
                                rows.getString(1),
                                rows.getString(2),
                                rows.getInt(3),
                                OrderStatus.valueOf(rows.getString(4)),
                                rows.getString(5),
                                rows.getObject(6, OffsetDateTime.class).toInstant(),
                                rows.getObject(7, OffsetDateTime.class).toInstant()));
            }
        }
        return orders;
    }

    static Map<String, ReservationStatus> reservations(DataSource db) throws SQLException {
        Map<String, ReservationStatus> reservations = new HashMap<>();
        try (Connection c = db.getConnection();
                PreparedStatement read = c.prepareStatement("SELECT order_id, status FROM inventory_reservation");
                ResultSet rows = read.executeQuery()) {
            while (rows.next()) {
                reservations.put(rows.getString(1), ReservationStatus.valueOf(rows.getString(2)));
            }
        }
        return reservations;
    }
}
