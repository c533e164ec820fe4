package io.valerix.core.health;

import java.util.List;
import java.util.Objects;

/**
 * One scope's light, the window figures that decided it and the recent light changes.
 *
 * <p>Immutable and thread-safe.
 *
 * @param light the light at the reading
 * @param window the window's figures at the reading
 * @param transitions the most recent light changes, oldest first, at most
 *     {@link HealthConfig#transitionHistory()}
 */
public record WindowHealth(HealthLight light, WindowSnapshot window, List<LightTransition> transitions) {

    /** Checks the components and copies the list. */
    public WindowHealth {
        Objects.requireNonNull(light, "light");
        Objects.requireNonNull(window, "window");
        transitions = List.copyOf(transitions);
    }
}
