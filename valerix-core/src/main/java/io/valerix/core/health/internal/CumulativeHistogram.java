package io.valerix.core.health.internal;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A never-reset latency histogram with fixed Prometheus buckets, for the {@code _bucket},
 * {@code _sum} and {@code _count} series.
 *
 * <p>Thread-safe; recording is a bucket search over {@link #BOUNDS_SECONDS} and two
 * {@link LongAdder} increments, so contended writers do not serialize on one cache line.
 */
public final class CumulativeHistogram {

    /**
     * Upper bounds in seconds, without {@code +Inf}. {@code 1.0} is the default light threshold,
     * so a dashboard can compute the share of requests under it exactly.
     */
    public static final List<Double> BOUNDS_SECONDS =
            List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);

    private static final long[] BOUNDS_NANOS =
            BOUNDS_SECONDS.stream().mapToLong(s -> Math.round(s * 1e9)).toArray();

    // buckets[i] counts latencies in (BOUNDS_NANOS[i-1], BOUNDS_NANOS[i]]; the last one is +Inf.
    private final LongAdder[] buckets = new LongAdder[BOUNDS_NANOS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    /** An empty histogram. */
    public CumulativeHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** Counts one latency of {@code nanos}, which must not be negative. */
    public void record(long nanos) {
        int i = 0;
        while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) {
            i++;
        }
        buckets[i].increment();
        sumNanos.add(nanos);
    }

    /** The counts so far, cumulative as Prometheus wants them. */
    public Counts counts() {
        long[] cumulative = new long[buckets.length];
        long running = 0;
        for (int i = 0; i < buckets.length; i++) {
            running += buckets[i].sum();
            cumulative[i] = running;
        }
        return new Counts(cumulative, sumNanos.sum() / 1e9);
    }

    /**
     * Cumulative bucket counts, one per bound in {@link #BOUNDS_SECONDS} then {@code +Inf}.
     *
     * <p>Each bucket is read once, so the counts are cumulative even while others record; the sum
     * may be a few requests ahead or behind them.
     *
     * @param cumulative counts of latencies at or under each bound, then of all latencies
     * @param sumSeconds the sum of all latencies in seconds
     */
    public record Counts(long[] cumulative, double sumSeconds) {

        /** Copies the array. */
        public Counts {
            cumulative = cumulative.clone();
        }

        /** All latencies counted: the {@code +Inf} bucket. */
        public long count() {
            return cumulative[cumulative.length - 1];
        }

        /** A copy of the cumulative counts. */
        @Override
        public long[] cumulative() {
            return cumulative.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Counts c
                    && Arrays.equals(cumulative, c.cumulative)
                    && Double.compare(sumSeconds, c.sumSeconds) == 0;
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(cumulative) + Double.hashCode(sumSeconds);
        }

        @Override
        public String toString() {
            return "Counts" + Arrays.toString(cumulative) + " sum=" + sumSeconds;
        }
    }
}
