package io.valerix.core.health;

import java.time.Duration;
import java.util.Objects;

/**
 * One change of a {@link HealthLight}, for drawing a timeline.
 *
 * <p>A light is judged when its window is read (a {@code /health} or {@code /metrics} request, a
 * dashboard poll) and when the first request of a new slice is recorded, so while traffic flows
 * or someone polls, {@code sinceStart} is accurate to one slice.
 *
 * <p>Immutable and thread-safe.
 *
 * @param sinceStart when the change was seen, as time since the monitor was created (the clock
 *     is monotonic, not wall time; a report adds its own start instant)
 * @param from the light before
 * @param to the light after
 * @param p99 the window's p99 that decided the change ({@link Duration#ZERO} when turning IDLE)
 */
public record LightTransition(Duration sinceStart, HealthLight from, HealthLight to, Duration p99) {

    /** Checks the components. */
    public LightTransition {
        Objects.requireNonNull(sinceStart, "sinceStart");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(p99, "p99");
        if (from == to) {
            throw new IllegalArgumentException("a transition must change the light, but both were " + to);
        }
    }
}
