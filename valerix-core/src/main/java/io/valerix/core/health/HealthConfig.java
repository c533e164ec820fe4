package io.valerix.core.health;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of a {@link LatencyMonitor} and its rolling latency windows: window and slice
 * length, the light's threshold and hysteresis, the largest latency tracked, and the outbound
 * dependencies to watch from the start.
 *
 * <p><b>Light rule.</b> With {@code threshold} T and {@code recoveryRatio} r, a window with no
 * requests is {@link HealthLight#IDLE IDLE}; otherwise it turns {@link HealthLight#RED RED} when
 * p99 &ge; T and, once RED, turns {@link HealthLight#GREEN GREEN} again only when p99 &lt; T&middot;r.
 * The default r = 0.9 keeps a p99 hovering around the threshold from flickering the light;
 * r = 1.0 means no hysteresis. Coming from IDLE there is nothing to hold on to, so the light is
 * RED at p99 &ge; T and GREEN below it.
 *
 * <p>Immutable and thread-safe; built by {@link #builder()}, validated in
 * {@link Builder#build()}.
 */
public final class HealthConfig {

    /** Default rolling window: 10 s. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    /** Default slice, the window's granularity: 1 s. */
    public static final Duration DEFAULT_SLICE = Duration.ofSeconds(1);
    /** Default light threshold on the window's p99: 1 s, as in the design. */
    public static final Duration DEFAULT_THRESHOLD = Duration.ofSeconds(1);
    /** Default hysteresis: back to GREEN below 90% of the threshold. */
    public static final double DEFAULT_RECOVERY_RATIO = 0.9;
    /** Default largest latency tracked exactly; longer ones are recorded as this value. */
    public static final Duration DEFAULT_MAX_LATENCY = Duration.ofHours(1);
    /** Default number of light transitions kept per scope. */
    public static final int DEFAULT_TRANSITION_HISTORY = 100;

    // Bounds that keep memory and snapshot cost predictable, not physical limits.
    static final Duration MIN_SLICE = Duration.ofMillis(1);
    static final int MAX_SLICES = 3_600;
    static final int MAX_TRANSITION_HISTORY = 100_000;

    private final Duration window;
    private final Duration slice;
    private final Duration threshold;
    private final double recoveryRatio;
    private final Duration maxLatency;
    private final int transitionHistory;
    private final Set<String> dependencies;

    private HealthConfig(Builder b) {
        this.window = b.window;
        this.slice = b.slice;
        this.threshold = b.threshold;
        this.recoveryRatio = b.recoveryRatio;
        this.maxLatency = b.maxLatency;
        this.transitionHistory = b.transitionHistory;
        this.dependencies = Collections.unmodifiableSet(new LinkedHashSet<>(b.dependencies));
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** The configuration with every setting at its default. */
    public static HealthConfig defaults() {
        return builder().build();
    }

    /** A builder holding this configuration's settings, for a variant. */
    public Builder toBuilder() {
        Builder b = new Builder()
                .window(window)
                .slice(slice)
                .threshold(threshold)
                .recoveryRatio(recoveryRatio)
                .maxLatency(maxLatency)
                .transitionHistory(transitionHistory);
        b.dependencies.addAll(dependencies);
        return b;
    }

    /** The rolling window's length, a whole number of slices. */
    public Duration window() {
        return window;
    }

    /** The slice length: requests leave the window one slice at a time. */
    public Duration slice() {
        return slice;
    }

    /** Number of slices in the window. */
    public int sliceCount() {
        return (int) (window.toNanos() / slice.toNanos());
    }

    /** The p99 at or above which the light is RED. */
    public Duration threshold() {
        return threshold;
    }

    /** Fraction of the threshold that p99 must fall below for a RED light to turn GREEN. */
    public double recoveryRatio() {
        return recoveryRatio;
    }

    /** The largest latency recorded as is; longer latencies are recorded as this value. */
    public Duration maxLatency() {
        return maxLatency;
    }

    /** How many light transitions each scope keeps; the oldest are dropped first. */
    public int transitionHistory() {
        return transitionHistory;
    }

    /** Outbound dependencies that have a light from the start, before their first call. */
    public Set<String> dependencies() {
        return dependencies;
    }

    @Override
    public String toString() {
        return "HealthConfig{window=" + window + ", slice=" + slice + ", threshold=" + threshold
                + ", recoveryRatio=" + recoveryRatio + ", maxLatency=" + maxLatency
                + ", transitionHistory=" + transitionHistory + ", dependencies=" + dependencies + '}';
    }

    /**
     * Mutable builder of {@link HealthConfig}; not thread-safe. {@link #build()} validates and
     * copies, so later changes to the builder never reach a built config.
     */
    public static final class Builder {
        private Duration window = DEFAULT_WINDOW;
        private Duration slice = DEFAULT_SLICE;
        private Duration threshold = DEFAULT_THRESHOLD;
        private double recoveryRatio = DEFAULT_RECOVERY_RATIO;
        private Duration maxLatency = DEFAULT_MAX_LATENCY;
        private int transitionHistory = DEFAULT_TRANSITION_HISTORY;
        private final Set<String> dependencies = new LinkedHashSet<>();

        private Builder() {}

        /** Rolling window length; must be a positive whole number of slices. */
        public Builder window(Duration window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        /** Slice length, at least 1 ms. */
        public Builder slice(Duration slice) {
            this.slice = Objects.requireNonNull(slice, "slice");
            return this;
        }

        /** The p99 at or above which the light turns RED; positive, at most {@code maxLatency}. */
        public Builder threshold(Duration threshold) {
            this.threshold = Objects.requireNonNull(threshold, "threshold");
            return this;
        }

        /** Hysteresis: RED turns GREEN below {@code threshold * ratio}; in (0, 1], 1 = none. */
        public Builder recoveryRatio(double ratio) {
            this.recoveryRatio = ratio;
            return this;
        }

        /** Largest latency recorded as is; positive, at least the threshold. */
        public Builder maxLatency(Duration maxLatency) {
            this.maxLatency = Objects.requireNonNull(maxLatency, "maxLatency");
            return this;
        }

        /** How many light transitions each scope keeps, at least 1. */
        public Builder transitionHistory(int transitions) {
            this.transitionHistory = transitions;
            return this;
        }

        /** Adds outbound dependencies that get a (first IDLE) light before their first call. */
        public Builder dependencies(String... names) {
            Objects.requireNonNull(names, "names");
            for (String name : names) {
                dependencies.add(RequestKey.checkDependency(name));
            }
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the setting and its bad value
         */
        public HealthConfig build() {
            if (slice.compareTo(MIN_SLICE) < 0) {
                throw new IllegalArgumentException("slice must be at least " + MIN_SLICE + ", but was " + slice);
            }
            if (window.compareTo(slice) < 0) {
                throw new IllegalArgumentException(
                        "window must be at least one slice (" + slice + "), but was " + window);
            }
            long sliceNanos = slice.toNanos();
            long windowNanos = window.toNanos();
            if (windowNanos % sliceNanos != 0) {
                throw new IllegalArgumentException(
                        "window must be a whole number of slices, but window was " + window + " and slice " + slice);
            }
            if (windowNanos / sliceNanos > MAX_SLICES) {
                throw new IllegalArgumentException("window must hold at most " + MAX_SLICES + " slices, but " + window
                        + " / " + slice + " = " + windowNanos / sliceNanos);
            }
            if (threshold.isNegative() || threshold.isZero()) {
                throw new IllegalArgumentException("threshold must be positive, but was " + threshold);
            }
            if (maxLatency.compareTo(threshold) < 0) {
                throw new IllegalArgumentException(
                        "maxLatency must be at least the threshold (" + threshold + "), but was " + maxLatency);
            }
            if (!(recoveryRatio > 0.0 && recoveryRatio <= 1.0)) {
                throw new IllegalArgumentException("recoveryRatio must be in (0, 1], but was " + recoveryRatio);
            }
            if (transitionHistory < 1 || transitionHistory > MAX_TRANSITION_HISTORY) {
                throw new IllegalArgumentException("transitionHistory must be in [1, " + MAX_TRANSITION_HISTORY
                        + "], but was " + transitionHistory);
            }
            return new HealthConfig(this);
        }
    }
}
