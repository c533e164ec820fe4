package io.valerix.harness.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.health.HealthConfig;
import io.valerix.core.jdbc.PostgresCluster;
import io.valerix.core.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the CLI's services keep their data: {@code --db h2|postgres} and an existing server's URLs. */
class StorageTest {

    private static final String TOKEN = "storage-test-token-0123456789";

    @TempDir
    Path dir;

    @Test
    void aPrivateClusterLivesUnderTheDataDirIsStoppedOnCloseAndKeepsItsOrdersAcrossRestarts() throws Exception {
        TestPostgres.requireBinaries();
        TestPostgres.letTheServerReach(dir);
        Path data = dir.resolve("data");
        try (ServicePair pair = ServicePair.start(settings(data, Storage.privatePostgres()), server -> {})) {
            assertThat(placeOrder(pair.orderUri(), "pg-1")).isEqualTo(201);
            assertThat(Files.exists(pidFile(data)))
                    .as("the cluster runs while the services do")
                    .isTrue();
        }
        assertThat(Files.exists(pidFile(data)))
                .as("closing the pair stopped the cluster")
                .isFalse();

        try (ServicePair pair = ServicePair.start(settings(data, Storage.privatePostgres()), server -> {})) {
            assertThat(pair.order().service().countByStatus().get(io.valerix.order.OrderStatus.CONFIRMED))
                    .isEqualTo(1L);
        }
    }

    @Test
    void databasesOnAnExistingServerAreUsedWithCredentialsFromTheEnvironment() throws Exception {
        PostgresCluster server = TestPostgres.cluster();
        String orders = server.createDatabase("cli_orders");
        String inventory = server.createDatabase("cli_inventory");
        Map<String, String> environment = Map.of(
                Storage.ORDER_USER_ENV,
                PostgresCluster.SUPERUSER,
                Storage.ORDER_PASSWORD_ENV,
                server.password(),
                Storage.INVENTORY_USER_ENV,
                PostgresCluster.SUPERUSER,
                Storage.INVENTORY_PASSWORD_ENV,
                server.password());

        try (ServicePair pair =
                ServicePair.start(settings(dir, Storage.existing(orders, inventory, environment)), server2 -> {})) {
            assertThat(placeOrder(pair.orderUri(), "existing-1")).isEqualTo(201);
        }

        try (HikariDataSource db = server.dataSource("cli_orders", 1)) {
            assertThat(count(db, "SELECT COUNT(*) FROM orders WHERE status = 'CONFIRMED'"))
                    .isEqualTo(1);
        }
        assertThat(dir.resolve("orders"))
                .as("no H2 files beside an existing server")
                .doesNotExist();
    }

    @Test
    void aWrongPasswordFailsTheStartWithTheServersAnswer() {
        PostgresCluster server = TestPostgres.cluster();
        String orders = server.createDatabase("cli_wrong_orders");
        String inventory = server.createDatabase("cli_wrong_inventory");
        Map<String, String> environment = Map.of(
                Storage.ORDER_USER_ENV,
                PostgresCluster.SUPERUSER,
                Storage.ORDER_PASSWORD_ENV,
                "not-the-password",
                Storage.INVENTORY_USER_ENV,
                PostgresCluster.SUPERUSER,
                Storage.INVENTORY_PASSWORD_ENV,
                "not-the-password");

        assertThatThrownBy(() -> ServicePair.start(
                                settings(dir, Storage.existing(orders, inventory, environment)), s -> {})
                        .close())
                .hasStackTraceContaining("password authentication failed");
    }

    private static Path pidFile(Path data) {
        return data.resolve(Storage.CLUSTER_DIRECTORY)
                .resolve("cluster")
                .resolve("data")
                .resolve("postmaster.pid");
    }

    private static ServicePair.Settings settings(Path data, Storage storage) {
        return new ServicePair.Settings(
                        0,
                        0,
                        GremlinSpec.none(),
                        1,
                        Duration.ofSeconds(5),
                        Map.of("widget", 100),
                        TOKEN,
                        data,
                        HealthConfig.defaults())
                .withStorage(storage);
    }

    private static int placeOrder(URI orders, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(orders.resolve("/orders"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"widget\",\"quantity\":1}"))
                .build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        }
    }

    private static long count(HikariDataSource db, String sql) throws Exception {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
