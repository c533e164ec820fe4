package io.valerix.core.retry;

import io.valerix.core.time.NanoClock;
import java.time.Duration;
import java.util.Objects;

/**
 * Caps retries at a fraction of recent first attempts, so that when a dependency is down retries
 * cannot multiply the load on it (a retry storm).
 *
 * <p>Over a sliding window (default 10 s in 10 slices), a retry is allowed while {@code retries <
 * max(minRetries, ratio × firstAttempts)}. With the defaults (ratio 0.2, 10 minimum) at most 20%
 * extra calls are made once traffic is above 50 calls per window.
 *
 * <p>Thread-safe; share one budget among everything that calls one dependency.
 */
public final class RetryBudget {

    private final double ratio;
    private final int minRetries;
    private final long sliceNanos;
    private final NanoClock clock;
    private final long[] sliceIndex;
    private final long[] attempts;
    private final long[] retries;

    private RetryBudget(Builder builder) {
        this.ratio = builder.ratio;
        this.minRetries = builder.minRetries;
        this.clock = builder.clock;
        int slices = builder.slices;
        this.sliceNanos = Math.max(1, builder.window.toNanos() / slices);
        this.sliceIndex = new long[slices];
        this.attempts = new long[slices];
        this.retries = new long[slices];
        java.util.Arrays.fill(sliceIndex, Long.MIN_VALUE);
    }

    /** A budget allowing {@code ratio} extra calls over a 10 s window, with 10 always allowed. */
    public static RetryBudget of(double ratio) {
        return builder().ratio(ratio).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Counts a first attempt, which earns the budget {@code ratio} of a retry. */
    public synchronized void recordFirstAttempt() {
        attempts[slot()]++;
    }

    /** Takes one retry from the budget if there is one left; false means do not retry. */
    public synchronized boolean tryAcquireRetry() {
        int current = slot();
        long windowAttempts = 0;
        long windowRetries = 0;
        for (int i = 0; i < sliceIndex.length; i++) {
            windowAttempts += attempts[i];
            windowRetries += retries[i];
        }
        if (windowRetries >= Math.max(minRetries, (long) Math.floor(ratio * windowAttempts))) {
            return false;
        }
        retries[current]++;
        return true;
    }

    /** The fraction of first attempts that may be retried. */
    public double ratio() {
        return ratio;
    }

    // Returns the slot of the current slice, clearing slots whose slice fell out of the window.
    private int slot() {
        long index = Math.floorDiv(clock.nanoTime(), sliceNanos);
        for (int i = 0; i < sliceIndex.length; i++) {
            if (sliceIndex[i] != Long.MIN_VALUE && index - sliceIndex[i] >= sliceIndex.length) {
                sliceIndex[i] = Long.MIN_VALUE;
                attempts[i] = 0;
                retries[i] = 0;
            }
        }
        int slot = (int) Math.floorMod(index, (long) sliceIndex.length);
        if (sliceIndex[slot] != index) {
            sliceIndex[slot] = index;
            attempts[slot] = 0;
            retries[slot] = 0;
        }
        return slot;
    }

    /** Builds a {@link RetryBudget}. */
    public static final class Builder {
        private double ratio = 0.2;
        private int minRetries = 10;
        private Duration window = Duration.ofSeconds(10);
        private int slices = 10;
        private NanoClock clock = NanoClock.system();

        private Builder() {}

        /** Retries allowed per first attempt in the window, 0 to 1; default 0.2. */
        public Builder ratio(double ratio) {
            this.ratio = ratio;
            return this;
        }

        /** Retries allowed in a window whatever the traffic, so a quiet service can still retry; default 10. */
        public Builder minRetries(int minRetries) {
            this.minRetries = minRetries;
            return this;
        }

        /** The sliding window; default 10 s, counted in 10 slices. */
        public Builder window(Duration window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        public Builder clock(NanoClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public RetryBudget build() {
            if (!(ratio >= 0 && ratio <= 1)) {
                throw new IllegalArgumentException("ratio must be between 0 and 1, but was " + ratio);
            }
            if (minRetries < 0) {
                throw new IllegalArgumentException("minRetries must not be negative, but was " + minRetries);
            }
            if (window.toMillis() < slices) {
                throw new IllegalArgumentException("window must be at least " + slices + " ms, but was " + window);
            }
            return new RetryBudget(this);
        }
    }
}
