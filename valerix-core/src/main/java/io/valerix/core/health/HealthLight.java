package io.valerix.core.health;

/**
 * The dashboard's light for one scope (the server, or one outbound dependency as this service
 * sees it), judged on the rolling window's p99 against {@link HealthConfig#threshold()}; the
 * exact rule, with its hysteresis, is on {@link HealthConfig}.
 *
 * <p>A light is not liveness: a RED server is slow but still {@link HealthReport.Status#UP UP}.
 * Rendered in metrics as the {@code state} label {@code green}, {@code red} or {@code idle}.
 */
public enum HealthLight {
    /** Requests in the window, p99 under the threshold. */
    GREEN,
    /** Requests in the window, p99 at or above the threshold (and not yet recovered). */
    RED,
    /** No request in the window: nothing to judge. */
    IDLE
}
