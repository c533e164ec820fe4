package io.valerix.core.health.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.valerix.core.health.HealthConfig;
import io.valerix.core.health.LatencyMonitor;
import io.valerix.core.health.Outcome;
import io.valerix.core.health.RequestKey;
import io.valerix.core.time.ManualNanoClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyMonitorMetricsTest {

    private static final long MS = 1_000_000L;

    private final ManualNanoClock clock = new ManualNanoClock();
    private final LatencyMonitor monitor = LatencyMonitor.of(HealthConfig.defaults(), clock);
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void theServerWindowShowsInMicrometerAsTheMonitorMeasuresIt() {
        // given
        LatencyMonitorMetrics.of(monitor).bindTo(registry);

        // when eight fast answers and two slow failures are recorded after binding
        for (int i = 0; i < 8; i++) {
            monitor.record(RequestKey.server("GET", "/things/{id}", Outcome.status(200)), 10 * MS);
        }
        monitor.record(RequestKey.server("GET", "/things/{id}", Outcome.status(503)), 300 * MS);
        monitor.record(RequestKey.server("GET", "/things/{id}", Outcome.status(503)), 300 * MS);

        // then the gauges read the monitor's current window
        assertThat(gauge("valerix.latency.window.requests", "server", "").value())
                .isEqualTo(10.0);
        assertThat(gauge("valerix.latency.window.error.rate", "server", "").value())
                .isCloseTo(0.2, within(1e-9));
        Gauge p50 = registry.get("valerix.latency.window")
                .tags("scope", "server", "dependency", "", "percentile", "p50")
                .gauge();
        assertThat(p50.value()).isCloseTo(monitor.server().window().p50().toNanos() / 1e9, within(1e-9));
        assertThat(p50.value()).isCloseTo(0.010, within(0.0001));
        Gauge max = registry.get("valerix.latency.window")
                .tags("scope", "server", "dependency", "", "percentile", "max")
                .gauge();
        assertThat(max.value()).isCloseTo(0.300, within(0.001));
        assertThat(p50.getId().getBaseUnit()).isEqualTo("seconds");
    }

    @Test
    void theLightGaugeFollowsTheLightFromIdleToRed() {
        // given
        LatencyMonitorMetrics.of(monitor).bindTo(registry);
        assertThat(light("server", "", "idle")).isEqualTo(1.0);

        // when a whole slice of requests is slower than the 1 s threshold
        for (int i = 0; i < 20; i++) {
            monitor.record(RequestKey.server("GET", "/things/{id}", Outcome.status(200)), 2_000 * MS);
        }
        clock.advance(Duration.ofSeconds(2));

        // then exactly the red state is 1, as the monitor judges it
        assertThat(monitor.server().light().name()).isEqualTo("RED");
        assertThat(light("server", "", "red")).isEqualTo(1.0);
        assertThat(light("server", "", "green")).isZero();
        assertThat(light("server", "", "idle")).isZero();
    }

    @Test
    void aNamedDependencyIsBoundBeforeItsFirstCallAndThenFollowsIt() {
        // given a dependency named up front, not yet called
        LatencyMonitorMetrics.of(monitor, "inventory").bindTo(registry);
        assertThat(light("client", "inventory", "idle")).isEqualTo(1.0);
        assertThat(gauge("valerix.latency.window.requests", "client", "inventory")
                        .value())
                .isZero();

        // when it is called
        monitor.record(RequestKey.client("inventory", "PUT", "/reservations/{orderId}", Outcome.OK), 40 * MS);
        monitor.record(RequestKey.client("inventory", "PUT", "/reservations/{orderId}", Outcome.TIMEOUT), 900 * MS);

        // then its own gauges count it, and the server's do not
        assertThat(gauge("valerix.latency.window.requests", "client", "inventory")
                        .value())
                .isEqualTo(2.0);
        assertThat(gauge("valerix.latency.window.error.rate", "client", "inventory")
                        .value())
                .isCloseTo(0.5, within(1e-9));
        assertThat(gauge("valerix.latency.window.requests", "server", "").value())
                .isZero();
    }

    @Test
    void aDependencyAlreadyCalledIsBoundWithoutBeingNamed() {
        monitor.record(RequestKey.client("payments", "POST", "/charges", Outcome.OK), 5 * MS);

        LatencyMonitorMetrics.of(monitor).bindTo(registry);

        assertThat(gauge("valerix.latency.window.requests", "client", "payments")
                        .value())
                .isEqualTo(1.0);
    }

    @Test
    void blankOrNullDependencyNamesAreRefused() {
        assertThatThrownBy(() -> LatencyMonitorMetrics.of(monitor, " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dependency must not be blank, but was ' '");
        assertThatThrownBy(() -> LatencyMonitorMetrics.of(monitor, (String) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("dependency");
    }

    private Gauge gauge(String name, String scope, String dependency) {
        return registry.get(name).tags("scope", scope, "dependency", dependency).gauge();
    }

    private double light(String scope, String dependency, String state) {
        return registry.get("valerix.health.light")
                .tags("scope", scope, "dependency", dependency, "state", state)
                .gauge()
                .value();
    }
}
