package io.valerix.core.gremlin;

import io.valerix.core.gremlin.internal.Checks;
import io.valerix.core.gremlin.internal.DurationText;
import io.valerix.core.gremlin.internal.NormalMath;
import io.valerix.core.gremlin.internal.NumberText;
import java.time.Duration;

/**
 * A latency distribution, sampled by inverse transform from one uniform number so that a seeded
 * gremlin is reproducible: the gremlin derives {@code u} from (seed, request number, rule index),
 * never from a shared random generator.
 *
 * <p>Instances are immutable records, validated on construction ({@link NullPointerException} for
 * null, {@link IllegalArgumentException} naming the field and the bad value), and thread-safe.
 * Samples are never negative; they saturate at {@code Long.MAX_VALUE} nanoseconds. Sampling uses
 * {@link StrictMath} so that a seed gives bit-identical delays on every JVM and platform.
 */
public sealed interface LatencyDistribution extends GremlinAction
        permits LatencyDistribution.Fixed,
                LatencyDistribution.Uniform,
                LatencyDistribution.Normal,
                LatencyDistribution.LogNormal,
                LatencyDistribution.Pareto {

    /** The cap of {@link #pareto(Duration, double)}: its tail is unbounded, a test run is not. */
    Duration DEFAULT_PARETO_CAP = Duration.ofSeconds(60);

    /** The delay for uniform number {@code u}, which must be in [0, 1). */
    Duration sample(double u);

    /** Always {@code delay}: {@code fixed(1500ms)}. */
    static LatencyDistribution fixed(Duration delay) {
        return new Fixed(delay);
    }

    /** Uniform on [min, max): {@code uniform(0ms,5s)}, the original gremlin. */
    static LatencyDistribution uniform(Duration min, Duration max) {
        return new Uniform(min, max);
    }

    /** Normal, truncated at zero: {@code normal(200ms,50ms)}. */
    static LatencyDistribution normal(Duration mean, Duration stddev) {
        return new Normal(mean, stddev);
    }

    /** Log-normal with the given median and shape: {@code lognormal(100ms,0.5)}. */
    static LatencyDistribution logNormal(Duration median, double sigma) {
        return new LogNormal(median, sigma);
    }

    /** Pareto capped at {@link #DEFAULT_PARETO_CAP}: {@code pareto(50ms,1.5)}. */
    static LatencyDistribution pareto(Duration scale, double shape) {
        return new Pareto(scale, shape, DEFAULT_PARETO_CAP);
    }

    /** Pareto capped at {@code cap}: {@code pareto(50ms,1.5,10s)}. */
    static LatencyDistribution pareto(Duration scale, double shape, Duration cap) {
        return new Pareto(scale, shape, cap);
    }

    /** Always {@code delay}, which must not be negative. */
    record Fixed(Duration delay) implements LatencyDistribution {
        public Fixed {
            Checks.notNegative(delay, "delay");
        }

        @Override
        public Duration sample(double u) {
            return delay;
        }

        @Override
        public String toText() {
            return "fixed(" + DurationText.format(delay) + ")";
        }
    }

    /** Uniform on [min, max); {@code 0 <= min <= max}. */
    record Uniform(Duration min, Duration max) implements LatencyDistribution {
        public Uniform {
            Checks.notNegative(min, "min");
            Checks.notNegative(max, "max");
            if (min.compareTo(max) > 0) {
                throw new IllegalArgumentException("min must not be greater than max, but min was "
                        + DurationText.format(min)
                        + " and max "
                        + DurationText.format(max));
            }
        }

        @Override
        public Duration sample(double u) {
            long lo = min.toNanos();
            long range = max.toNanos() - lo;
            return Duration.ofNanos(lo + Math.min(range, (long) (u * range)));
        }

        @Override
        public String toText() {
            return "uniform(" + DurationText.format(min) + "," + DurationText.format(max) + ")";
        }
    }

    /**
     * Normal with {@code mean >= 0} and {@code stddev > 0}, truncated at zero: negative values are
     * not clamped to zero (that would pile up a spike at 0) but excluded, by sampling the normal
     * CDF above Φ(−mean/stddev).
     */
    record Normal(Duration mean, Duration stddev) implements LatencyDistribution {
        public Normal {
            Checks.notNegative(mean, "mean");
            Checks.positive(stddev, "stddev");
        }

        @Override
        public Duration sample(double u) {
            double m = mean.toNanos();
            double s = stddev.toNanos();
            double below = NormalMath.cdf(-m / s);
            double z = NormalMath.inverseCdf(below + u * (1 - below));
            return nanos(m + s * z);
        }

        @Override
        public String toText() {
            return "normal(" + DurationText.format(mean) + "," + DurationText.format(stddev) + ")";
        }
    }

    /** Log-normal: {@code median · e^(sigma·Z)}; {@code median > 0}, {@code sigma > 0}. */
    record LogNormal(Duration median, double sigma) implements LatencyDistribution {
        public LogNormal {
            Checks.positive(median, "median");
            Checks.positiveFinite(sigma, "sigma");
        }

        @Override
        public Duration sample(double u) {
            return nanos(median.toNanos() * StrictMath.exp(sigma * NormalMath.inverseCdf(u)));
        }

        @Override
        public String toText() {
            return "lognormal(" + DurationText.format(median) + "," + NumberText.format(sigma) + ")";
        }
    }

    /**
     * Pareto with minimum {@code scale > 0} and tail index {@code shape > 0}, cut at {@code cap >=
     * scale}: samples above the cap become the cap.
     */
    record Pareto(Duration scale, double shape, Duration cap) implements LatencyDistribution {
        public Pareto {
            Checks.positive(scale, "scale");
            Checks.positiveFinite(shape, "shape");
            Checks.notNegative(cap, "cap");
            if (cap.compareTo(scale) < 0) {
                throw new IllegalArgumentException("cap must not be less than scale, but cap was "
                        + DurationText.format(cap)
                        + " and scale "
                        + DurationText.format(scale));
            }
        }

        @Override
        public Duration sample(double u) {
            Duration x = nanos(scale.toNanos() / StrictMath.pow(1 - u, 1 / shape));
            return x.compareTo(cap) > 0 ? cap : x;
        }

        @Override
        public String toText() {
            String head = "pareto(" + DurationText.format(scale) + "," + NumberText.format(shape);
            return cap.equals(DEFAULT_PARETO_CAP) ? head + ")" : head + "," + DurationText.format(cap) + ")";
        }
    }

    private static Duration nanos(double value) {
        // Math.round saturates at Long.MAX_VALUE; NaN only arises from ∞·0, which means no delay.
        return Double.isNaN(value) || value <= 0 ? Duration.ZERO : Duration.ofNanos(Math.round(value));
    }
}
