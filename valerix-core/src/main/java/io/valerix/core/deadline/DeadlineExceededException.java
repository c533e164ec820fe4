package io.valerix.core.deadline;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown when a call did not finish before its deadline; the call was cancelled.
 *
 * <p>A deadline passing says nothing about whether the remote side did the work: the answer may
 * simply have been late. Callers that changed remote state must treat the outcome as unknown.
 */
public class DeadlineExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration budget;
    private final Duration elapsed;
    private final Duration overshoot;

    /**
     * @param what the call that ran out of time, for the message (e.g. a route)
     * @param budget the time the call was given
     * @param elapsed the time from the start of the call until control came back to the caller
     * @param overshoot how long after the deadline control came back
     * @param cause what the cancelled call threw, if anything
     */
    public DeadlineExceededException(
            String what, Duration budget, Duration elapsed, Duration overshoot, Throwable cause) {
        super(
                Objects.requireNonNull(what, "what")
                        + " exceeded its deadline: budget "
                        + budget.toMillis()
                        + " ms, elapsed "
                        + elapsed.toMillis()
                        + " ms",
                cause);
        this.budget = budget;
        this.elapsed = elapsed;
        this.overshoot = overshoot;
    }

    /** The time the call was given. */
    public Duration budget() {
        return budget;
    }

    /** The time from the start of the call until control came back to the caller. */
    public Duration elapsed() {
        return elapsed;
    }

    /** How long after the deadline control came back to the caller. */
    public Duration overshoot() {
        return overshoot;
    }
}
