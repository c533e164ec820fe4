package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.valerix.core.http.Response;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OrderServer.Builder#build()} refuses settings that break the order service's promises, naming them. */
class OrderServerBuilderTest {

    private static OrderServer.Builder builder() {
        return OrderServer.builder()
                .serviceToken(ServiceTokens.SERVICE_TOKEN)
                .dataDirectory(Path.of("unused"))
                .inventory(URI.create("http://127.0.0.1:1"))
                .timeout(Duration.ofSeconds(2));
    }

    @Test
    void anInstanceIdWithSpacesOrAHeartbeatPeriodUnder10MsIsRefused() {
        assertThatThrownBy(() -> builder().instanceId("order one").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("instanceId must be 1..255 printable ASCII characters without spaces, but was 'order one'");
        assertThatThrownBy(() -> builder().heartbeatPeriod(Duration.ofMillis(5)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("heartbeatPeriod must be at least 10 ms, but was PT0.005S");
    }

    @Test
    void theDefaultInstanceIdIsTheNameAndHostWithTheConfiguredPortWhichARestartKeeps() {
        assertThat(builder().name("orders").port(8080).instanceId())
                .startsWith("orders@")
                .endsWith(":8080");
        assertThat(builder().name("orders").port(0).instanceId())
                .startsWith("orders@")
                .endsWith("/pid-" + ProcessHandle.current().pid());
        // Without a port, two servers of one JVM still get ids of their own once built
        assertThat(builder().port(0).build().instanceId())
                .isNotEqualTo(builder().port(0).build().instanceId());
        assertThat(builder().instanceId("order-3").instanceId()).isEqualTo("order-3");
    }

    @Test
    void aSettleAfterNotLongerThanTheTimeoutIsRefused() {
        assertThatThrownBy(() -> builder().settleAfter(Duration.ofSeconds(2)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("settleAfter must be longer than the timeout PT2S, but was PT2S");
    }

    @Test
    void anIdempotencyLeaseNotLongerThanTheTimeoutIsRefused() {
        assertThatThrownBy(() ->
                        builder().idempotencyLease(Duration.ofMillis(1500)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idempotencyLease must be longer than the timeout PT2S, but was PT1.5S");
    }

    @Test
    void aReconcileCallTimeoutUnderAMillisecondIsRefused() {
        assertThatThrownBy(() -> builder().reconcileCallTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reconcileCallTimeout must be at least 1 ms, but was PT0S");
    }

    @Test
    void aReconcileParallelismBelowOneIsRefused() {
        assertThatThrownBy(() -> builder().reconcileParallelism(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reconcileParallelism must be at least 1, but was 0");
    }

    @Test
    void aPoolSizeBelowOneIsRefused() {
        assertThatThrownBy(() -> builder().maxPoolSize(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPoolSize must be at least 1, but was 0");
    }

    @Test
    void aPoolSizeForAGivenDataSourceIsRefused() {
        assertThatThrownBy(() -> OrderServer.builder()
                        .serviceToken(ServiceTokens.SERVICE_TOKEN)
                        .dataSource(new org.h2.jdbcx.JdbcDataSource())
                        .inventory(URI.create("http://127.0.0.1:1"))
                        .maxPoolSize(4)
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maxPoolSize applies only to a dataDirectory");
    }

    @Test
    void changingTheBuilderAfterBuildDoesNotChangeTheServer(@TempDir Path dir) {
        // Given a server built from a builder
        OrderServer.Builder builder = OrderServer.builder()
                .serviceToken(ServiceTokens.SERVICE_TOKEN)
                .dataDirectory(dir)
                .inventory(URI.create("http://127.0.0.1:1"))
                .name("first")
                .maxPoolSize(2);
        OrderServer server = builder.build();

        // When the builder changes afterwards (a route that would collide, another name, a bad port)
        builder.name("second")
                .port(-1)
                .extraRoutes(routes -> routes.route("GET", "/orders/{orderId}", r -> Response.json(200, Map.of())));

        // Then the server starts with the settings it was built with
        try (OrderServer started = server.start()) {
            assertThat(started.port()).isPositive();
            assertThat(Thread.getAllStackTraces().keySet())
                    .extracting(Thread::getName)
                    .anyMatch(name -> name.startsWith("first-"));
        }
    }
}
