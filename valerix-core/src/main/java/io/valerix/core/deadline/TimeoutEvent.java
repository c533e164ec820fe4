package io.valerix.core.deadline;

import java.time.Duration;

/**
 * What a {@link TimeLimiter} reports when a deadline fired.
 *
 * @param budget the time the call was given
 * @param elapsed the time until control came back to the caller
 * @param overshoot how long after the deadline control came back: the limiter's own latency
 */
public record TimeoutEvent(Duration budget, Duration elapsed, Duration overshoot) {}
