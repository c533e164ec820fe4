package io.valerix.order;

import io.valerix.core.testing.DatabaseRows;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Snapshots of the order and inventory tables, read past the code under test ({@link DatabaseRows}). */
final class Tables {

    private Tables() {}

    /** Every row of the order database's tables, timestamps and fencing tokens included. */
    static List<String> orderSnapshot(DataSource orders) {
        List<String> rows = new ArrayList<>();
        rows.addAll(DatabaseRows.rows(orders, "SELECT * FROM orders ORDER BY order_id"));
        rows.addAll(DatabaseRows.rows(orders, "SELECT * FROM idempotency_record ORDER BY scope, idem_key"));
        return rows;
    }

    /** Every row of the inventory's tables, timestamps included. */
    static List<String> inventorySnapshot(DataSource inventory) {
        List<String> rows = new ArrayList<>();
        rows.addAll(DatabaseRows.rows(inventory, "SELECT sku, available, total FROM inventory_stock ORDER BY sku"));
        rows.addAll(DatabaseRows.rows(inventory, "SELECT * FROM inventory_reservation ORDER BY order_id"));
        return rows;
    }
}
