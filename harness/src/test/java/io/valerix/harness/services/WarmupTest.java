package io.valerix.harness.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.health.HealthConfig;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ServicePair#start} returns only once the pair is warm, and warm-up leaves nothing behind. */
class WarmupTest {

    private static final int ORDERS = 200;

    @TempDir
    Path dir;

    private ServicePair.Settings settings() {
        Map<String, Integer> stock = new LinkedHashMap<>();
        stock.put("widget", 100);
        stock.put("gadget", 7);
        return new ServicePair.Settings(
                0,
                0,
                GremlinSpec.none(),
                1,
                Duration.ofSeconds(2),
                stock,
                BearerTokenFilter.randomToken(),
                BearerTokenFilter.randomToken(),
                dir.resolve("data"),
                HealthConfig.defaults(),
                ORDERS);
    }

    @Test
    void thePairIsReturnedOnlyOnceWarmWithPoolsFullAndTheInventoryLinkOpen() {
        try (ServicePair pair = ServicePair.start(settings(), server -> {})) {
            // Read the moment start returned, i.e. when `valerix up` announces the pair.
            int orderPoolOpen =
                    pair.archiving().ordersDatabase().getHikariPoolMXBean().getTotalConnections();
            int inventoryPoolOpen =
                    pair.archiving().inventoryDatabase().getHikariPoolMXBean().getTotalConnections();

            assertThat(orderPoolOpen)
                    .isEqualTo(pair.archiving().ordersDatabase().getMaximumPoolSize());
            assertThat(inventoryPoolOpen)
                    .isEqualTo(pair.archiving().inventoryDatabase().getMaximumPoolSize());
            Warmup.Report report = pair.warmup();
            assertThat(report.orders()).isEqualTo(ORDERS);
            assertThat(report.orderPool()).isEqualTo(report.orderPoolMax());
            assertThat(report.inventoryPool()).isEqualTo(report.inventoryPoolMax());
            assertThat(report.inventoryReachable()).isTrue();
        }
    }

    @Test
    void warmupLeavesNoRowInEitherDatabaseNoJournalEntryAndStockUnchanged() throws Exception {
        try (ServicePair pair = ServicePair.start(settings(), server -> {})) {
            assertThat(pair.warmup().orders()).isEqualTo(ORDERS);
            DataSource orders = pair.archiving().ordersDatabase();
            DataSource inventory = pair.archiving().inventoryDatabase();

            assertThat(count(orders, "SELECT COUNT(*) FROM orders")).isZero();
            assertThat(count(orders, "SELECT COUNT(*) FROM idempotency_record")).isZero();
            assertThat(count(orders, "SELECT COUNT(*) FROM valerix_journal")).isZero();
            assertThat(count(inventory, "SELECT COUNT(*) FROM inventory_reservation"))
                    .isZero();
            assertThat(count(inventory, "SELECT COUNT(*) FROM valerix_journal WHERE table_name <> 'inventory_stock'"))
                    .isZero();
            assertThat(rows(inventory, "SELECT sku, available, total FROM inventory_stock ORDER BY sku"))
                    .containsExactly("gadget|7|7", "widget|100|100");
            // The real gremlin decided only on the start-up catalog reads (its numbering is what a seed
            // reproduces); warm-up orders would have been hundreds of decisions.
            assertThat(pair.gremlin().counts().decisions()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void onAPrivateClusterWarmupRunsOnScratchDatabasesInThatClusterAndDropsThem() throws Exception {
        TestPostgres.requireBinaries();
        TestPostgres.letTheServerReach(dir);
        try (ServicePair pair = ServicePair.start(settings().withStorage(Storage.privatePostgres()), server -> {})) {
            Warmup.Report report = pair.warmup();
            assertThat(report.orders()).isEqualTo(ORDERS);
            assertThat(report.scratch()).contains("private PostgreSQL cluster");
            DataSource orders = pair.archiving().ordersDatabase();
            DataSource inventory = pair.archiving().inventoryDatabase();

            assertThat(count(orders, "SELECT COUNT(*) FROM pg_database WHERE datname LIKE 'valerix_warmup_%'"))
                    .as("the scratch databases were dropped")
                    .isZero();
            assertThat(count(orders, "SELECT COUNT(*) FROM orders")).isZero();
            assertThat(count(orders, "SELECT COUNT(*) FROM idempotency_record")).isZero();
            assertThat(count(inventory, "SELECT COUNT(*) FROM inventory_reservation"))
                    .isZero();
            assertThat(rows(inventory, "SELECT sku, available, total FROM inventory_stock ORDER BY sku"))
                    .containsExactly("gadget|7|7", "widget|100|100");
        }
    }

    private static long count(DataSource db, String sql) throws Exception {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static List<String> rows(DataSource db, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                rows.add(r.getString(1) + "|" + r.getLong(2) + "|" + r.getLong(3));
            }
        }
        return rows;
    }
}
