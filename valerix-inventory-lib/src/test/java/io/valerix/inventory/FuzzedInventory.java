package io.valerix.inventory;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.testing.DatabaseRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One real inventory server for a whole fuzz class (a real port on 127.0.0.1, H2 files in a
 * temporary directory), with its tables reset to the same stock before each input so that every
 * input starts from the same state and a finding replays.
 */
final class FuzzedInventory implements AutoCloseable {

    static final String STOCK = "widget=10,gadget=1,empty=0";

    private final Path directory;
    private final HikariDataSource dataSource;
    private final InventoryServer server;

    FuzzedInventory() {
        try {
            directory = Files.createTempDirectory("valerix-inventory-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dataSource = H2Database.open(directory, "inventory", 8);
        server = InventoryServer.builder()
                .serviceToken(InventoryHttp.SERVICE_TOKEN)
                .dataSource(dataSource)
                .stock(STOCK)
                .build()
                .start();
    }

    URI uri() {
        return server.uri();
    }

    /** Both tables, row by row. */
    List<String> snapshot() {
        return InventoryDatabase.snapshot(dataSource);
    }

    long rowsWithNegativeStock() {
        return DatabaseRows.count(dataSource, "SELECT COUNT(*) FROM inventory_stock WHERE available < 0");
    }

    /** Back to {@link #STOCK} with no reservations, plus two records the listing can page over. */
    void reset() {
        try (Connection connection = dataSource.getConnection();
                Statement sql = connection.createStatement()) {
            sql.execute("DELETE FROM inventory_reservation");
            sql.execute("UPDATE inventory_stock SET available = total");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        server.service().reserve("seed-1", "widget", 2);
        server.service().release("seed-2");
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            dataSource.close();
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
