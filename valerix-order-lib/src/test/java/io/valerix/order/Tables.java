package io.valerix.order;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Reads tables directly, to check what a request did (or did not) write. */
final class Tables {

  private Tables() {}

  /** Every row of the order database's tables, timestamps and fencing tokens included. */
  static List<String> orderSnapshot(DataSource orders) {
    List<String> rows = new ArrayList<>();
    rows.addAll(rows(orders, "SELECT * FROM orders ORDER BY order_id"));
    rows.addAll(rows(orders, "SELECT * FROM idempotency_record ORDER BY scope, idem_key"));
    return rows;
  }

  /** Every row of the inventory's tables, timestamps included. */
  static List<String> inventorySnapshot(DataSource inventory) {
    List<String> rows = new ArrayList<>();
    rows.addAll(rows(inventory, "SELECT sku, available, total FROM inventory_stock ORDER BY sku"));
    rows.addAll(rows(inventory, "SELECT * FROM inventory_reservation ORDER BY order_id"));
    return rows;
  }

  static long count(DataSource dataSource, String sql) {
    return Long.parseLong(rows(dataSource, sql).get(0));
  }

  /** Each row as its columns joined by {@code |}. */
  static List<String> rows(DataSource dataSource, String sql) {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      ResultSetMetaData meta = r.getMetaData();
      List<String> rows = new ArrayList<>();
      while (r.next()) {
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          Object value = r.getObject(i);
          columns.add(value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(value));
        }
        rows.add(String.join("|", columns));
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed", e);
    }
  }
}
