package io.valerix.inventory;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.testing.DatabaseEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A running {@link InventoryServer} per test: a real port on 127.0.0.1 and a fresh database: H2
 * files in a temporary directory, or, when the test class has a {@code DatabaseEngine} field (a
 * {@code @ParameterizedClass} over the engines), a database on that engine. The test owns the data
 * source, so it can read the tables directly.
 */
final class InventoryServerExtension implements BeforeEachCallback, AfterEachCallback {

    private final String stock;
    private int maxQuantity = InventoryConfig.DEFAULT_MAX_QUANTITY;
    private Path directory;
    private HikariDataSource dataSource;
    private InventoryServer server;

    private InventoryServerExtension(String stock) {
        this.stock = stock;
    }

    /** A server seeded with {@code sku=qty} pairs. */
    static InventoryServerExtension withStock(String pairs) {
        return new InventoryServerExtension(pairs);
    }

    InventoryServerExtension maxQuantity(int maxQuantity) {
        this.maxQuantity = maxQuantity;
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        directory = Files.createTempDirectory("valerix-inventory-test");
        dataSource = engineOf(context.getRequiredTestInstance())
                .create(directory, "inventory")
                .open(16);
        server = InventoryServer.builder()
                .serviceToken(InventoryHttp.SERVICE_TOKEN)
                .dataSource(dataSource)
                .stock(stock)
                .maxQuantity(maxQuantity)
                .build()
                .start();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (dataSource != null) {
                dataSource.close();
            }
            deleteRecursively(directory);
        }
    }

    private static DatabaseEngine engineOf(Object testInstance) {
        for (Class<?> type = testInstance.getClass(); type != null; type = type.getSuperclass()) {
            for (java.lang.reflect.Field field : type.getDeclaredFields()) {
                if (field.getType() == DatabaseEngine.class) {
                    try {
                        field.setAccessible(true);
                        DatabaseEngine engine = (DatabaseEngine) field.get(testInstance);
                        if (engine != null) {
                            return engine;
                        }
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException("cannot read the test's database engine", e);
                    }
                }
            }
        }
        return DatabaseEngine.H2;
    }

    URI uri() {
        return server.uri();
    }

    InventoryService service() {
        return server.service();
    }

    HikariDataSource dataSource() {
        return dataSource;
    }

    /** Both tables, row by row; see {@link InventoryDatabase#snapshot}. */
    List<String> snapshot() {
        return InventoryDatabase.snapshot(dataSource);
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
