package io.valerix.core.health.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.valerix.core.health.HealthConfig;
import io.valerix.core.health.WindowSnapshot;
import io.valerix.core.time.ManualNanoClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyWindowTest {

    private static final long MS = 1_000_000L;

    private final ManualNanoClock clock = new ManualNanoClock();
    private final LatencyWindow window = LatencyWindow.of(HealthConfig.defaults(), clock);

    @Test
    void percentilesOfAKnownSetAreRightWithinHdrHistogramPrecision() {
        // given 1 ms, 2 ms, ... 1000 ms, shuffled so order cannot matter
        for (int i = 0; i < 1000; i++) {
            window.record(((i * 7919L) % 1000 + 1) * MS, false);
        }

        // when
        WindowSnapshot s = window.snapshot();

        // then: 3 significant digits means within 0.1%
        assertThat(s.count()).isEqualTo(1000);
        assertThat(millis(s.p50())).isCloseTo(500.0, within(0.5));
        assertThat(millis(s.p90())).isCloseTo(900.0, within(0.9));
        assertThat(millis(s.p99())).isCloseTo(990.0, within(0.99));
        assertThat(millis(s.p999())).isCloseTo(999.0, within(1.0));
        assertThat(millis(s.max())).isCloseTo(1000.0, within(1.0));
    }

    @Test
    void anEmptyWindowReportsZeroEverywhere() {
        assertThat(window.snapshot()).isEqualTo(WindowSnapshot.EMPTY);
    }

    @Test
    void slicesExpireAsTheClockMoves() {
        // given 3 requests in the first slice and 2 in the fifth
        record(3, 100 * MS);
        clock.advance(Duration.ofSeconds(4));
        record(2, 200 * MS);

        // when the clock is in slice 9, the window (slices 0..9) still holds all 5
        clock.advance(Duration.ofMillis(5_999));
        assertThat(window.snapshot().count()).isEqualTo(5);

        // then in slice 10 the first slice has left the window
        clock.advance(Duration.ofMillis(1));
        WindowSnapshot afterFirstLeft = window.snapshot();
        assertThat(afterFirstLeft.count()).isEqualTo(2);
        assertThat(millis(afterFirstLeft.max())).isCloseTo(200.0, within(0.2));

        // and in slice 14 the fifth has left too
        clock.advance(Duration.ofSeconds(4));
        assertThat(window.snapshot().isEmpty()).isTrue();
    }

    @Test
    void slicesExpireEvenWhenOnlyRecordingMovesTheWindow() {
        // given slow requests, then nobody looks for a long while
        record(10, 1_500 * MS);
        clock.advance(Duration.ofSeconds(30));

        // when fast ones arrive, the ring position of the old slice is reused
        record(10, 5 * MS);

        // then only the fast ones are in the window
        WindowSnapshot s = window.snapshot();
        assertThat(s.count()).isEqualTo(10);
        assertThat(millis(s.max())).isCloseTo(5.0, within(0.01));
    }

    @Test
    void ratePerSecondIsOverTheTimeTheWindowCovers() {
        // given 10 s of 50 requests per second
        for (int second = 0; second < 10; second++) {
            record(50, MS);
            clock.advance(Duration.ofSeconds(1));
        }

        // when the clock stands at the start of slice 10, the window covers slices 1..10, 9 s
        WindowSnapshot s = window.snapshot();

        // then
        assertThat(s.count()).isEqualTo(450);
        assertThat(s.ratePerSecond()).isCloseTo(50.0, within(1e-9));
    }

    @Test
    void errorsAreCountedBesideLatencies() {
        // given
        record(8, MS);
        window.record(MS, true);
        window.record(MS, true);

        // when
        WindowSnapshot s = window.snapshot();

        // then
        assertThat(s.count()).isEqualTo(10);
        assertThat(s.errorCount()).isEqualTo(2);
        assertThat(s.errorRate()).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void latenciesAboveTheMaximumAreRecordedAsTheMaximum() {
        // given
        window.record(Duration.ofHours(5).toNanos(), false);

        // then
        assertThat(window.snapshot().max().toMinutes()).isEqualTo(60);
    }

    @Test
    void aNegativeLatencyIsRejected() {
        assertThatThrownBy(() -> window.record(-1, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("latencyNanos must not be negative, but was -1");
    }

    private void record(int times, long nanos) {
        for (int i = 0; i < times; i++) {
            window.record(nanos, false);
        }
    }

    static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }
}
