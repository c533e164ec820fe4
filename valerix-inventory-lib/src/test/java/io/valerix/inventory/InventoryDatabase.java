package io.valerix.inventory;

import io.valerix.core.testing.DatabaseRows;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Snapshots of the inventory tables, read past the code under test ({@link DatabaseRows}). */
final class InventoryDatabase {

    private InventoryDatabase() {}

    /**
     * Every row of both tables as text, in key order, timestamps included: two equal snapshots mean
     * nothing was written in between.
     */
    static List<String> snapshot(DataSource dataSource) {
        List<String> rows = new ArrayList<>();
        rows.addAll(DatabaseRows.rows(dataSource, "SELECT sku, available, total FROM inventory_stock ORDER BY sku"));
        rows.addAll(
                DatabaseRows.rows(
                        dataSource,
                        "SELECT order_id, sku, quantity, status, created_at, updated_at FROM inventory_reservation ORDER BY order_id"));
        return rows;
    }
}
