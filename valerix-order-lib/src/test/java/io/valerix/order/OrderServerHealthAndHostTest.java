package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.valerix.core.testing.RawHttp;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The order server's liveness and readiness, its Host check, and the service token it sends. */
class OrderServerHealthAndHostTest {

    @RegisterExtension
    final RunningServices running = new RunningServices();

    @Test
    void liveAndReadyAreUpWithDatabaseAndInventoryChecked() {
        RunningServices.Services services = running.start(s -> {});

        RawHttp.Reply live = RawHttp.send(services.orderUri(), "GET", "/health/live", null, null);
        RawHttp.Reply ready = RawHttp.send(services.orderUri(), "GET", "/health/ready", null, null);

        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().path("status").asText()).isEqualTo("UP");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("checks").path("database").path("status").asText())
                .isEqualTo("UP");
        assertThat(ready.json().path("checks").path("inventory").path("status").asText())
                .isEqualTo("UP");
    }

    @Test
    void readyGoes503WhenInventoryIsDownWhileLiveStays200() {
        RunningServices.Services services = running.start(s -> {});

        services.inventory().close();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            RawHttp.Reply ready = RawHttp.send(services.orderUri(), "GET", "/health/ready", null, null);
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().path("status").asText()).isEqualTo("DOWN");
            assertThat(ready.json()
                            .path("checks")
                            .path("inventory")
                            .path("status")
                            .asText())
                    .isEqualTo("DOWN");
            assertThat(ready.json()
                            .path("checks")
                            .path("database")
                            .path("status")
                            .asText())
                    .isEqualTo("UP");
        });
        assertThat(RawHttp.send(services.orderUri(), "GET", "/health/live", null, null)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void readyAndLiveAnswerWhileEveryPooledConnectionIsHeld() throws Exception {
        RunningServices.Services services = running.start(s -> {});
        List<Connection> held = new ArrayList<>();
        try {
            int size = services.orderDb().getMaximumPoolSize();
            for (int i = 0; i < size; i++) {
                held.add(services.orderDb().getConnection());
            }

            long heldSince = System.nanoTime();

            assertThat(RawHttp.send(services.orderUri(), "GET", "/health/live", null, null)
                            .status())
                    .isEqualTo(200);
            // A verdict younger than the exhaustion was reached without the pool (which would time out
            // and say DOWN): the check has its own connection.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                RawHttp.Reply ready = RawHttp.send(services.orderUri(), "GET", "/health/ready", null, null);
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
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
    }

    @Test
    void aForeignHostIsRefusedWith421AndPlacesNoOrder() {
        RunningServices.Services services = running.start(s -> {});

        RawHttp.Reply reply = OrderHttp.placeOrder(
                services.orderUri(), "k-1", OrderHttp.order("widget", 1), "Host", "evil.example:8080");

        assertThat(reply.status()).isEqualTo(421);
        assertThat(reply.problemType()).isEqualTo("urn:valerix:problem:host-not-allowed");
        assertThat(services.orders()).isEmpty();
        assertThat(services.reservations()).isEmpty();
    }

    @Test
    void ordersReachAnInventoryThatRequiresTheServiceToken() {
        // A timeout no busy machine reaches: the point is that the reservation is accepted.
        RunningServices.Services services = running.start(s -> s.timeout(Duration.ofSeconds(20)));

        RawHttp.Reply reply = services.place("k-1", "widget", 2);

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.field("status")).isEqualTo("CONFIRMED");
        assertThat(services.stock("widget").available()).isEqualTo(98);
    }

    @Test
    void anHttpInventoryWithoutServiceTokenIsRefusedOnBuild() {
        assertThatThrownBy(() -> OrderServer.builder()
                        .dataDirectory(Path.of("unused"))
                        .inventory(URI.create("http://127.0.0.1:1"))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("serviceToken");
    }
}
