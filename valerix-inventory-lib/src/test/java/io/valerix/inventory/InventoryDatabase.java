package io.valerix.inventory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Reads the inventory tables directly, to check what a call did (or did not) write. */
final class InventoryDatabase {

  private InventoryDatabase() {}

  /**
   * Every row of both tables as text, in key order, timestamps included: two equal snapshots mean
   * nothing was written in between.
   */
  static List<String> snapshot(DataSource dataSource) {
    List<String> rows = new ArrayList<>();
    rows.addAll(rows(dataSource, "SELECT sku, available, total FROM inventory_stock ORDER BY sku"));
    rows.addAll(rows(dataSource, "SELECT order_id, sku, quantity, status, created_at, updated_at FROM inventory_reservation ORDER BY order_id"));
    return rows;
  }

  static long count(DataSource dataSource, String sql) {
    List<String> rows = rows(dataSource, sql);
    return Long.parseLong(rows.get(0));
  }

  static List<String> rows(DataSource dataSource, String sql) {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      ResultSetMetaData meta = r.getMetaData();
      List<String> rows = new ArrayList<>();
      while (r.next()) {
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          columns.add(String.valueOf(r.getObject(i)));
        }
        rows.add(String.join("|", columns));
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed", e);
    }
  }
}
