package io.valerix.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.valerix.core.time.ManualNanoClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyMonitorTest {

    private static final long MS = 1_000_000L;

    private final ManualNanoClock clock = new ManualNanoClock();
    private final LatencyMonitor monitor = LatencyMonitor.of(HealthConfig.defaults(), clock);

    @Test
    void eachKeyHasItsOwnWindowAndTheServerWindowHoldsThemAll() {
        // given
        RequestKey ok = RequestKey.server("PUT", "/reservations/{orderId}", Outcome.status(200));
        RequestKey failed = RequestKey.server("PUT", "/reservations/{orderId}", Outcome.status(503));
        RequestKey call = RequestKey.client("inventory", "GET", "/inventory/{sku}", Outcome.OK);
        for (int i = 0; i < 8; i++) {
            monitor.record(ok, 10 * MS);
        }
        monitor.record(failed, 300 * MS);
        monitor.record(failed, 300 * MS);
        monitor.record(call, 40 * MS);

        // when
        Map<RequestKey, WindowSnapshot> byKey = monitor.snapshotsByKey();
        WindowSnapshot server = monitor.server().window();

        // then keys are listed server first, then by dependency, route, method, outcome
        assertThat(byKey.keySet()).containsExactly(ok, failed, call);
        assertThat(byKey.get(ok).count()).isEqualTo(8);
        assertThat(byKey.get(failed).errorRate()).isEqualTo(1.0);
        assertThat(byKey.get(call).p50().toNanos() / 1e6).isCloseTo(40.0, within(0.4));
        assertThat(server.count()).isEqualTo(10);
        assertThat(server.errorCount()).isEqualTo(2);
        assertThat(server.errorRate()).isCloseTo(0.2, within(1e-12));
        assertThat(monitor.dependencies().keySet()).containsExactly("inventory");
    }

    @Test
    void fourHundredAndNineAreNotErrorsButFiveHundredsTimeoutsAndTransportFailuresAre() {
        assertThat(List.of(Outcome.status(200), Outcome.status(409), Outcome.status(499), Outcome.OK))
                .noneMatch(Outcome::isError);
        assertThat(List.of(Outcome.status(500), Outcome.status(504), Outcome.TIMEOUT, Outcome.ERROR))
                .allMatch(Outcome::isError);
        assertThat(Outcome.status(204).label()).isEqualTo("204");
        assertThat(Outcome.status(204)).isSameAs(Outcome.status(204));
    }

    @Test
    void keysBeyondTheLimitAreFoldedIntoTheOverflowRoute() {
        // given the limit reached with distinct routes, as when raw paths are passed by mistake
        for (int i = 0; i < LatencyMonitor.MAX_KEYS; i++) {
            monitor.record(RequestKey.server("GET", "/orders/" + i, Outcome.status(200)), MS);
        }

        // when more distinct routes come
        for (int i = 0; i < 5; i++) {
            monitor.record(RequestKey.server("GET", "/orders/x" + i, Outcome.status(200)), MS);
        }

        // then they share one key and nothing is lost
        Map<RequestKey, WindowSnapshot> byKey = monitor.snapshotsByKey();
        assertThat(byKey).hasSize(LatencyMonitor.MAX_KEYS + 1);
        RequestKey overflow = RequestKey.server("GET", LatencyMonitor.OVERFLOW_ROUTE, Outcome.status(200));
        assertThat(byKey.get(overflow).count()).isEqualTo(5);
        assertThat(monitor.server().window().count()).isEqualTo(LatencyMonitor.MAX_KEYS + 5);
    }

    @Test
    void aNegativeLatencyIsRejectedAndNothingIsRecorded() {
        RequestKey key = RequestKey.server("GET", "/health", Outcome.status(200));

        assertThatThrownBy(() -> monitor.record(key, -5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("latencyNanos must not be negative, but was -5");
        assertThat(monitor.snapshotsByKey()).isEmpty();
        assertThat(monitor.server().window().isEmpty()).isTrue();
    }

    @Test
    void malformedKeysAreRejectedNamingTheComponent() {
        assertThatThrownBy(() -> RequestKey.server("put", "/x", Outcome.OK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("method must be 1 to 16 upper-case letters, but was 'put'");
        assertThatThrownBy(() -> RequestKey.client("", "GET", "/x", Outcome.OK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("dependency must be 1 to 64 printable characters");
        assertThatThrownBy(() -> new RequestKey(RequestKey.Direction.SERVER, "inventory", "GET", "/x", Outcome.OK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dependency must be empty for a SERVER key, but was 'inventory'");
        assertThatThrownBy(() -> RequestKey.server("GET", "/x\n", Outcome.OK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("route must be 1 to 256 printable characters");
        assertThatThrownBy(() -> RequestKey.server("GET", "/x", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("outcome");
        assertThatThrownBy(() -> Outcome.status(600))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("status must be in [100, 599], but was 600");
    }

    @Test
    void slowCallsLeaveTheKeyWindowsAsTheClockMoves() {
        RequestKey key = RequestKey.client("inventory", "PUT", "/reservations/{orderId}", Outcome.TIMEOUT);
        monitor.record(key, 2_000 * MS);

        clock.advance(Duration.ofSeconds(10));

        assertThat(monitor.snapshotsByKey().get(key).isEmpty()).isTrue();
    }
}
