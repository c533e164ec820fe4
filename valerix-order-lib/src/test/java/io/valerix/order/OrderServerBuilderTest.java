package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link OrderServer.Builder#build()} refuses settings that break the order service's promises, naming them. */
class OrderServerBuilderTest {

  private static OrderServer.Builder builder() {
    return OrderServer.builder().serviceToken(ServiceTokens.SERVICE_TOKEN).dataDirectory(Path.of("unused")).inventory(URI.create("http://127.0.0.1:1")).timeout(Duration.ofSeconds(2));
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
    assertThat(builder().name("orders").port(8080).instanceId()).startsWith("orders@").endsWith(":8080");
    assertThat(builder().name("orders").port(0).instanceId())
        .startsWith("orders@").endsWith("/pid-" + ProcessHandle.current().pid());
    // Without a port, two servers of one JVM still get ids of their own once built
    assertThat(builder().port(0).build().instanceId()).isNotEqualTo(builder().port(0).build().instanceId());
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
    assertThatThrownBy(() -> builder().idempotencyLease(Duration.ofMillis(1500)).build())
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
}
