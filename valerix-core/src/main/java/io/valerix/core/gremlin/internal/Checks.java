package io.valerix.core.gremlin.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks with the messages the gremlin's value types promise: the field and the bad
 * value, {@link NullPointerException} for null, {@link IllegalArgumentException} otherwise.
 *
 * <p>Stateless and thread-safe.
 */
public final class Checks {

    /** Delays are computed in {@code long} nanoseconds; a longer duration cannot be represented. */
    public static final Duration MAX_DURATION = Duration.ofNanos(Long.MAX_VALUE);

    private Checks() {}

    /** Requires {@code 0 <= value <= MAX_DURATION}. */
    public static Duration notNegative(Duration value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isNegative()) {
            throw new IllegalArgumentException(
                    field + " must not be negative, but was " + DurationText.formatSigned(value));
        }
        if (value.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(field + " must not exceed " + MAX_DURATION + ", but was " + value);
        }
        return value;
    }

    /** Requires {@code 0 < value <= MAX_DURATION}. */
    public static Duration positive(Duration value, String field) {
        notNegative(value, field);
        if (value.isZero()) {
            throw new IllegalArgumentException(field + " must be greater than 0, but was 0ms");
        }
        return value;
    }

    /** Requires a finite {@code value > 0}. */
    public static double positiveFinite(double value, String field) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be greater than 0, but was " + value);
        }
        return value;
    }
}
