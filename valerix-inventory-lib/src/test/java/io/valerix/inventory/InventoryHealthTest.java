package io.valerix.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.testing.RawHttp;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code /health/live} and {@code /health/ready} on the inventory server. */
class InventoryHealthTest {

    @RegisterExtension
    final InventoryServerExtension inventory = InventoryServerExtension.withStock("widget=10");

    @Test
    void liveAndReadyAreUpOnAHealthyServer() {
        RawHttp.Reply live = InventoryHttp.send(inventory.uri(), "GET", "/health/live", null, null);
        RawHttp.Reply ready = InventoryHttp.send(inventory.uri(), "GET", "/health/ready", null, null);

        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().path("status").asText()).isEqualTo("UP");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.contentType()).isEqualTo("application/json");
        assertThat(ready.json().path("status").asText()).isEqualTo("UP");
        assertThat(ready.json().path("checks").path("database").path("status").asText())
                .isEqualTo("UP");
    }

    @Test
    void readyAnswersWhileEveryPooledConnectionIsHeld() throws Exception {
        // The request pool (16) is exhausted; readiness has its own connection, so it still answers UP.
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                held.add(inventory.dataSource().getConnection());
            }
            long heldSince = System.nanoTime();

            // A verdict younger than the exhaustion was reached without the pool (which would time out
            // and say DOWN): the check has its own connection.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                RawHttp.Reply ready = InventoryHttp.send(inventory.uri(), "GET", "/health/ready", null, null);
                assertThat(ready.status()).isEqualTo(200);
                assertThat(ready.json()
                                .path("checks")
                                .path("database")
                                .path("status")
                                .asText())
                        .isEqualTo("UP");
                assertThat(ready.json()
                                .path("checks")
                                .path("database")
                                .path("ageMs")
                                .asLong())
                        .isLessThan(
                                Duration.ofNanos(System.nanoTime() - heldSince).toMillis() - 100);
            });
            assertThat(inventory.dataSource().getHikariPoolMXBean().getThreadsAwaitingConnection())
                    .isZero();
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
    }

    @Test
    void readyGoes503WhenTheDatabaseIsDownWhileLiveStays200(@TempDir Path dir) throws Exception {
        // A database across a real socket (H2's TCP server) that the test can take down.
        Server database = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", dir.toString())
                .start();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:tcp://127.0.0.1:" + database.getPort()
                + "/inventory;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(1000);
        try (HikariDataSource pool = new HikariDataSource(config);
                InventoryServer server = InventoryServer.builder()
                        .dataSource(pool)
                        .stock("widget=10")
                        .serviceToken(InventoryHttp.SERVICE_TOKEN)
                        .build()
                        .start()) {
            assertThat(InventoryHttp.send(server.uri(), "GET", "/health/ready", null, null)
                            .status())
                    .isEqualTo(200);

            database.stop();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                RawHttp.Reply ready = InventoryHttp.send(server.uri(), "GET", "/health/ready", null, null);
                assertThat(ready.status()).isEqualTo(503);
                assertThat(ready.contentType()).isEqualTo("application/json");
                assertThat(ready.json().path("status").asText()).isEqualTo("DOWN");
                assertThat(ready.json()
                                .path("checks")
                                .path("database")
                                .path("status")
                                .asText())
                        .isEqualTo("DOWN");
            });
            RawHttp.Reply live = InventoryHttp.send(server.uri(), "GET", "/health/live", null, null);
            assertThat(live.status()).isEqualTo(200);
            assertThat(live.json().path("status").asText()).isEqualTo("UP");
        } finally {
            database.stop();
        }
    }
}
