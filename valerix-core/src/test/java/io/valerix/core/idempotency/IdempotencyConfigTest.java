package io.valerix.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdempotencyConfigTest {

    @Test
    void defaultsGuardEveryPostAndPatchRouteWithA60SecondLeaseAnd24HourRetention() {
        IdempotencyConfig config = IdempotencyConfig.defaults();

        assertThat(config.lease()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.retention()).isEqualTo(Duration.ofHours(24));
        assertThat(config.inProgressWait()).isZero();
        assertThat(config.maxKeyLength()).isEqualTo(255);
        assertThat(config.maxStoredBodyBytes()).isEqualTo(64 * 1024);
        assertThat(config.storedHeaders()).containsExactly("Location");
        assertThat(config.fallbackKey()).isEmpty();
        assertThat(config.appliesTo("POST /orders")).isTrue();
        assertThat(config.appliesTo("PATCH /orders/{orderId}")).isTrue();
        assertThat(config.appliesTo("PUT /reservations/{orderId}")).isFalse();
        assertThat(config.appliesTo("GET /orders/{orderId}")).isFalse();
        assertThat(config.appliesTo("UNMATCHED")).isFalse();
    }

    @Test
    void namedRoutesAreTheOnlyOnesGuarded() {
        IdempotencyConfig config = IdempotencyConfig.builder()
                .routes("POST /orders", "PUT /reservations/{orderId}")
                .build();

        assertThat(config.appliesTo("POST /orders")).isTrue();
        assertThat(config.appliesTo("PUT /reservations/{orderId}")).isTrue();
        assertThat(config.appliesTo("POST /payments")).isFalse();
    }

    @Test
    void nullsAreRefusedAtOnceNamingTheField() {
        IdempotencyConfig.Builder builder = IdempotencyConfig.builder();

        assertThatThrownBy(() -> builder.lease(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("lease");
        assertThatThrownBy(() -> builder.clock(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("clock");
        assertThatThrownBy(() -> builder.fallbackKey(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("fallbackKey");
        assertThatThrownBy(() -> builder.routes("POST /a", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("routes element");
    }

    @Test
    void badValuesAreRefusedByBuildNamingTheFieldAndTheValue() {
        assertRefused(IdempotencyConfig.builder().lease(Duration.ZERO), "lease must be at least 1 ms, but was PT0S");
        assertRefused(
                IdempotencyConfig.builder().lease(Duration.ofNanos(999_999)),
                "lease must be at least 1 ms, but was PT0.000999999S");
        assertRefused(
                IdempotencyConfig.builder().retention(Duration.ofSeconds(-1)),
                "retention must be at least 1 ms, but was PT-1S");
        assertRefused(
                IdempotencyConfig.builder().inProgressWait(Duration.ofNanos(10)),
                "inProgressWait must be at least 1 ms, but was PT0.00000001S");
        assertRefused(IdempotencyConfig.builder().maxKeyLength(256), "maxKeyLength must be 1..255, but was 256");
        assertRefused(IdempotencyConfig.builder().maxKeyLength(0), "maxKeyLength must be 1..255, but was 0");
        assertRefused(
                IdempotencyConfig.builder().maxStoredBodyBytes(0), "maxStoredBodyBytes must be 1..16777216, but was 0");
        assertRefused(IdempotencyConfig.builder().routes(), "routes must name at least one route, but was empty");
        assertRefused(
                IdempotencyConfig.builder().routes("post /orders"),
                "routes must be 'METHOD /template' such as 'POST /orders', but was 'post /orders'");
        assertRefused(
                IdempotencyConfig.builder().storedHeaders("Bad Header"),
                "storedHeaders must be header names, but was 'Bad Header'");
        assertRefused(
                IdempotencyConfig.builder().storedHeaders("ETag", "etag"),
                "storedHeaders must not repeat a name, but 'etag' appears twice");
    }

    @Test
    void aZeroWaitMeansAnswer409AtOnceAndIsAllowed() {
        assertThat(IdempotencyConfig.builder()
                        .inProgressWait(Duration.ZERO)
                        .build()
                        .inProgressWait())
                .isZero();
    }

    @Test
    void aBuiltConfigDoesNotChangeWhenItsBuilderDoes() {
        IdempotencyConfig.Builder builder = IdempotencyConfig.builder().routes("POST /orders");
        IdempotencyConfig config = builder.build();

        builder.routes("POST /other").lease(Duration.ofSeconds(5));

        assertThat(config.routes()).containsExactly("POST /orders");
        assertThat(config.lease()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void theInstanceIdAndHeartbeatPeriodAreValidatedByBuildAndHaveSensibleDefaults() {
        IdempotencyConfig defaults = IdempotencyConfig.defaults();

        assertThat(defaults.instanceId())
                .endsWith("/pid-" + ProcessHandle.current().pid());
        assertThat(defaults.heartbeatPeriod()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(IdempotencyConfig.builder()
                        .instanceId("order@db-host:8080")
                        .build()
                        .instanceId())
                .isEqualTo("order@db-host:8080");
        assertRefused(
                IdempotencyConfig.builder().instanceId(""),
                "instanceId must be 1..255 printable ASCII characters without spaces, but was ''");
        assertRefused(
                IdempotencyConfig.builder().instanceId("order 1"),
                "instanceId must be 1..255 printable ASCII characters without spaces, but was 'order 1'");
        assertRefused(
                IdempotencyConfig.builder().instanceId("x".repeat(256)),
                "instanceId must be 1..255 printable ASCII characters without spaces, but was '" + "x".repeat(256)
                        + "'");
        assertRefused(
                IdempotencyConfig.builder().heartbeatPeriod(Duration.ofMillis(9)),
                "heartbeatPeriod must be at least 10 ms, but was PT0.009S");
    }

    private static void assertRefused(IdempotencyConfig.Builder builder, String message) {
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
