package io.valerix.core.health;

import static io.valerix.core.health.HealthLight.GREEN;
import static io.valerix.core.health.HealthLight.IDLE;
import static io.valerix.core.health.HealthLight.RED;
import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.time.ManualNanoClock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class HealthLightTest {

    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration WINDOW = HealthConfig.DEFAULT_WINDOW;
    private static final Duration FAST = Duration.ofMillis(20);
    private static final Duration SLOW = Duration.ofMillis(1_500);
    private static final RequestKey RESERVE = RequestKey.server("PUT", "/reservations/{orderId}", Outcome.status(200));

    private final ManualNanoClock clock = new ManualNanoClock();
    private LatencyMonitor monitor =
            LatencyMonitor.of(HealthConfig.builder().dependencies("inventory").build(), clock);

    @Test
    void theLightIsIdleWithNoTraffic() {
        assertThat(monitor.server().light()).isEqualTo(IDLE);
        assertThat(monitor.dependencies().get("inventory").light()).isEqualTo(IDLE);
        assertThat(monitor.server().transitions()).isEmpty();
    }

    @Test
    void theLightTurnsRedWithinOneWindowOfSlowRequestsAndGreenAfterTheyLeave() {
        // given fast traffic: GREEN
        run(WINDOW, 10, 0, SLOW, monitor::server);
        assertThat(monitor.server().light()).isEqualTo(GREEN);

        // when a tenth of the requests take 1.5 s
        Duration toRed = run(WINDOW, 9, 1, SLOW, () -> monitor.server());

        // then the light is RED within one window (here at once: 10% slow puts p99 at 1.5 s)
        assertThat(toRed).isLessThanOrEqualTo(WINDOW);
        assertThat(monitor.server().light()).isEqualTo(RED);
        assertThat(monitor.server().window().p99()).isGreaterThanOrEqualTo(SLOW);

        // when only fast requests come in again
        Duration toGreen = runUntil(GREEN, 2 * WINDOW.toSeconds(), 10, 0, SLOW);

        // then the light stays RED while slow requests are in the window and turns GREEN once the
        // last of them has left it, which takes between window - slice and window
        assertThat(toGreen).isBetween(WINDOW.minus(HealthConfig.DEFAULT_SLICE), WINDOW);
        assertThat(lights(monitor.server().transitions()))
                .containsExactly(IDLE + "->" + GREEN, GREEN + "->" + RED, RED + "->" + GREEN);
    }

    @Test
    void theLightTurnsIdleWhenTrafficStopsForAWindow() {
        // given
        run(Duration.ofSeconds(3), 10, 0, SLOW, monitor::server);

        // when nothing arrives for a window
        clock.advance(WINDOW);

        // then
        WindowHealth health = monitor.server();
        assertThat(health.light()).isEqualTo(IDLE);
        assertThat(health.window().isEmpty()).isTrue();
        List<LightTransition> transitions = health.transitions();
        assertThat(transitions.getLast().from()).isEqualTo(GREEN);
        assertThat(transitions.getLast().p99()).isEqualTo(Duration.ZERO);
    }

    @Test
    void aRedLightTurnsGreenOnlyWhenP99FallsBelowNinetyPercentOfTheThreshold() {
        // given RED
        run(Duration.ofSeconds(2), 10, 0, SLOW, monitor::server);
        run(Duration.ofSeconds(2), 0, 10, SLOW, monitor::server);
        assertThat(monitor.server().light()).isEqualTo(RED);

        // when every request takes 0.95 s for two windows: under the threshold, above 0.9 s
        run(WINDOW.multipliedBy(2), 0, 10, Duration.ofMillis(950), monitor::server);

        // then it is still RED
        assertThat(monitor.server().light()).isEqualTo(RED);

        // when they take 0.85 s
        Duration toGreen = runUntil(GREEN, WINDOW.toSeconds() + 1, 0, 10, Duration.ofMillis(850));

        // then GREEN, once the 0.95 s requests have left the window
        assertThat(toGreen).isLessThanOrEqualTo(WINDOW);
    }

    @Test
    void aLightComingFromGreenStaysGreenJustUnderTheThreshold() {
        run(WINDOW, 0, 10, Duration.ofMillis(950), monitor::server);

        assertThat(monitor.server().light()).isEqualTo(GREEN);
    }

    @Test
    void withoutHysteresisARedLightTurnsGreenAsSoonAsP99IsUnderTheThreshold() {
        // given
        monitor = LatencyMonitor.of(HealthConfig.builder().recoveryRatio(1.0).build(), clock);
        run(Duration.ofSeconds(1), 0, 10, SLOW, monitor::server);
        assertThat(monitor.server().light()).isEqualTo(RED);

        // when
        Duration toGreen = runUntil(GREEN, WINDOW.toSeconds() + 1, 0, 10, Duration.ofMillis(950));

        // then
        assertThat(toGreen).isLessThanOrEqualTo(WINDOW);
    }

    @Test
    void aP99ExactlyAtTheThresholdIsRed() {
        // given a threshold HdrHistogram represents exactly (a power of two in nanoseconds)
        Duration threshold = Duration.ofNanos(1L << 30);
        monitor = LatencyMonitor.of(HealthConfig.builder().threshold(threshold).build(), clock);

        // when
        monitor.record(RESERVE, threshold.toNanos());

        // then
        assertThat(monitor.server().light()).isEqualTo(RED);
    }

    @Test
    void aDependencyHasItsOwnLightBesideTheServers() {
        // given the server answers fast but its calls to inventory are slow
        for (int i = 0; i < 10; i++) {
            monitor.record(RESERVE, FAST.toNanos());
            monitor.record(
                    RequestKey.client("inventory", "PUT", "/reservations/{orderId}", Outcome.TIMEOUT), SLOW.toNanos());
        }

        // then
        assertThat(monitor.server().light()).isEqualTo(GREEN);
        WindowHealth inventory = monitor.dependencies().get("inventory");
        assertThat(inventory.light()).isEqualTo(RED);
        assertThat(inventory.window().errorRate()).isEqualTo(1.0);
    }

    @Test
    void transitionsAreJudgedAtTheFirstRequestOfEachSliceWithoutAnyReader() {
        // given a slow request at the start, nobody reading
        monitor.record(RESERVE, SLOW.toNanos());

        // when a fast request arrives 11 s later, after the slow one left the window
        clock.advance(Duration.ofSeconds(11));
        monitor.record(RESERVE, FAST.toNanos());
        clock.advance(Duration.ofSeconds(5));

        // then both changes carry the times of the requests, not of this read 16 s in
        List<LightTransition> transitions = monitor.server().transitions();
        assertThat(lights(transitions)).containsExactly(IDLE + "->" + RED, RED + "->" + GREEN);
        assertThat(transitions.get(0).sinceStart()).isEqualTo(Duration.ZERO);
        assertThat(transitions.get(0).p99()).isGreaterThanOrEqualTo(SLOW);
        assertThat(transitions.get(1).sinceStart()).isEqualTo(Duration.ofSeconds(11));
    }

    @Test
    void theTransitionHistoryKeepsOnlyTheMostRecentChanges() {
        // given a history of two
        monitor = LatencyMonitor.of(HealthConfig.builder().transitionHistory(2).build(), clock);

        // when the light goes IDLE -> GREEN -> RED -> IDLE
        run(Duration.ofSeconds(1), 10, 0, SLOW, monitor::server);
        run(Duration.ofSeconds(1), 0, 10, SLOW, monitor::server);
        clock.advance(WINDOW);

        // then
        assertThat(lights(monitor.server().transitions())).containsExactly(GREEN + "->" + RED, RED + "->" + IDLE);
    }

    /**
     * Runs ticks of {@code fast} 20 ms and {@code slow} requests of {@code slowLatency} for
     * {@code duration}, reading the light after each; returns how long until it was RED first.
     */
    private Duration run(Duration duration, int fast, int slow, Duration slowLatency, Supplier<WindowHealth> reader) {
        Duration firstRed = null;
        for (Duration t = Duration.ZERO; t.compareTo(duration) < 0; t = t.plus(TICK)) {
            tick(fast, slow, slowLatency);
            if (firstRed == null && reader.get().light() == RED) {
                firstRed = t.plus(TICK);
            }
        }
        return firstRed == null ? Duration.ofDays(1) : firstRed;
    }

    /** Like {@link #run} but stops at the first tick after which the server light is {@code wanted}. */
    private Duration runUntil(HealthLight wanted, long maxSeconds, int fast, int slow, Duration slowLatency) {
        Duration max = Duration.ofSeconds(maxSeconds);
        for (Duration t = Duration.ZERO; t.compareTo(max) < 0; t = t.plus(TICK)) {
            tick(fast, slow, slowLatency);
            if (monitor.server().light() == wanted) {
                return t.plus(TICK);
            }
        }
        throw new AssertionError("light never turned " + wanted + " within " + max);
    }

    private void tick(int fast, int slow, Duration slowLatency) {
        for (int i = 0; i < fast; i++) {
            monitor.record(RESERVE, FAST.toNanos());
        }
        for (int i = 0; i < slow; i++) {
            monitor.record(RESERVE, slowLatency.toNanos());
        }
        clock.advance(TICK);
    }

    private static List<String> lights(List<LightTransition> transitions) {
        return transitions.stream().map(t -> t.from() + "->" + t.to()).toList();
    }
}
