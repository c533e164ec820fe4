package io.valerix.core.health;

import java.time.Duration;
import java.util.Objects;

/**
 * The figures of a rolling latency window at one clock reading.
 *
 * <p>Percentiles follow HdrHistogram: the value at percentile p is the smallest recorded value
 * (to 3 significant digits, so within 0.1%, rounded up) that at least p% of the requests did not
 * exceed. An empty window reports zero for every figure.
 *
 * <p>Immutable and thread-safe.
 *
 * @param count requests in the window
 * @param errorCount requests in the window whose {@link Outcome#isError() outcome is an error}
 * @param ratePerSecond requests per second over the time the window covers
 * @param errorRate {@code errorCount / count}, 0 for an empty window
 * @param p50 median latency
 * @param p90 90th percentile latency
 * @param p99 99th percentile latency, what the light watches
 * @param p999 99.9th percentile latency
 * @param max largest latency
 */
public record WindowSnapshot(
        long count,
        long errorCount,
        double ratePerSecond,
        double errorRate,
        Duration p50,
        Duration p90,
        Duration p99,
        Duration p999,
        Duration max) {

    /** The snapshot of a window with no requests. */
    public static final WindowSnapshot EMPTY = new WindowSnapshot(
            0, 0, 0.0, 0.0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    /** Checks the figures are consistent. */
    public WindowSnapshot {
        if (count < 0 || errorCount < 0 || errorCount > count) {
            throw new IllegalArgumentException(
                    "need 0 <= errorCount <= count, but errorCount was " + errorCount + " and count " + count);
        }
        Objects.requireNonNull(p50, "p50");
        Objects.requireNonNull(p90, "p90");
        Objects.requireNonNull(p99, "p99");
        Objects.requireNonNull(p999, "p999");
        Objects.requireNonNull(max, "max");
    }

    /** Whether the window saw no request. */
    public boolean isEmpty() {
        return count == 0;
    }
}
