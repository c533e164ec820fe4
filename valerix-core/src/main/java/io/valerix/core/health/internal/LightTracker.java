package io.valerix.core.health.internal;

import io.valerix.core.health.HealthConfig;
import io.valerix.core.health.HealthLight;
import io.valerix.core.health.LightTransition;
import io.valerix.core.health.WindowSnapshot;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The light of one scope: applies the rule documented on {@link HealthConfig} to successive
 * window snapshots and keeps a bounded history of changes.
 *
 * <p>Thread-safe: updates are serialized. The history is in clock order if callers pass
 * readings in order; the monitor reads the clock under its own lock to ensure that.
 */
public final class LightTracker {

    private final long thresholdNanos;
    private final long recoveryNanos;
    private final int capacity;
    private final long originNanos;

    private HealthLight light = HealthLight.IDLE;
    private final ArrayDeque<LightTransition> history = new ArrayDeque<>();

    /** A tracker starting IDLE at clock reading {@code originNanos}. */
    public LightTracker(HealthConfig config, long originNanos) {
        this.thresholdNanos = config.threshold().toNanos();
        this.recoveryNanos = (long) (thresholdNanos * config.recoveryRatio());
        this.capacity = config.transitionHistory();
        this.originNanos = originNanos;
    }

    /** The rule on its own: the light that follows {@code current} given {@code window}. */
    public static HealthLight next(
            HealthLight current, WindowSnapshot window, long thresholdNanos, long recoveryNanos) {
        if (window.isEmpty()) {
            return HealthLight.IDLE;
        }
        long p99 = window.p99().toNanos();
        if (p99 >= thresholdNanos) {
            return HealthLight.RED;
        }
        return current == HealthLight.RED && p99 >= recoveryNanos ? HealthLight.RED : HealthLight.GREEN;
    }

    /** Judges {@code window} read at {@code nowNanos}, records a change, returns the new light. */
    public synchronized HealthLight update(WindowSnapshot window, long nowNanos) {
        HealthLight next = next(light, window, thresholdNanos, recoveryNanos);
        if (next != light) {
            if (history.size() == capacity) {
                history.removeFirst();
            }
            history.addLast(new LightTransition(Duration.ofNanos(nowNanos - originNanos), light, next, window.p99()));
            light = next;
        }
        return next;
    }

    /** The light as last judged. */
    public synchronized HealthLight light() {
        return light;
    }

    /** The recorded changes, oldest first. */
    public synchronized List<LightTransition> transitions() {
        return List.copyOf(history);
    }
}
