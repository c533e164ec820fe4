package io.valerix.core.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A wall clock ({@link InstantSource}) that only moves when the test says so, for leases,
 * retention, journal timestamps and backup days. Thread-safe. For elapsed time use {@link
 * io.valerix.core.time.ManualNanoClock}.
 */
public final class ManualWallClock implements InstantSource {

    private final AtomicReference<Instant> now;

    public ManualWallClock(Instant start) {
        this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /** Moves the clock by {@code duration} (backwards if negative); returns the new reading. */
    public Instant advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        return now.updateAndGet(at -> at.plus(duration));
    }

    /** Sets the clock to {@code at}, which may be earlier than now. */
    public void set(Instant at) {
        now.set(Objects.requireNonNull(at, "at"));
    }
}
