package io.valerix.core.deadline;

import io.valerix.core.deadline.internal.DeadlineTimer;
import io.valerix.core.deadline.internal.LimitedExecution;
import io.valerix.core.time.NanoClock;
import io.valerix.core.time.TimerClock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs a blocking call under a deadline, on the caller's own thread.
 *
 * <p>The limiter never hands the call to another thread. It arms a timer, runs the call, and
 * disarms the timer. If the deadline passes first, the timer runs the cancel actions the call
 * registered on its {@link CancelToken} (for OkHttp, {@code Call.cancel()}, which unblocks a
 * socket read on any thread) and, unless {@linkplain Builder#interrupt(boolean) disabled},
 * interrupts the caller (which unblocks sleeps, locks and, on virtual threads, socket reads). The
 * caller then gets a {@link DeadlineExceededException}; its interrupt flag is left as it was
 * before the call.
 *
 * <p>Each call is limited by the earlier of the limiter's timeout and the deadline passed in.
 *
 * <p>On the system clock, deadlines fire on one shared timer thread. On a {@link TimerClock}
 * (a {@link io.valerix.core.time.ManualNanoClock} in tests) they fire when that clock reaches
 * them, so a test decides when a deadline passes.
 *
 * <p>Immutable and thread-safe; share one instance.
 */
public final class TimeLimiter {

    private final Duration timeout;
    private final boolean interrupt;
    private final NanoClock clock;
    private final Consumer<TimeoutEvent> timeoutListener;
    private final DeadlineTimer timer; // null when the clock fires deadlines itself

    private TimeLimiter(Builder builder) {
        this.timeout = builder.timeout;
        this.interrupt = builder.interrupt;
        this.clock = builder.clock;
        this.timeoutListener = builder.timeoutListener;
        this.timer = clock == NanoClock.system() ? DeadlineTimer.shared() : null;
    }

    /** A limiter that gives each call at most {@code timeout} and interrupts on expiry. */
    public static TimeLimiter of(Duration timeout) {
        return builder(timeout).build();
    }

    /** A builder for a limiter that gives each call at most {@code timeout}. */
    public static Builder builder(Duration timeout) {
        return new Builder(timeout);
    }

    /** Runs {@code call} under this limiter's timeout alone. */
    public <T> T call(LimitedCall<T> call) {
        return call(Deadline.after(timeout, clock), call);
    }

    /**
     * Runs {@code call} under the earlier of {@code deadline} and this limiter's timeout.
     *
     * @throws DeadlineExceededException if the deadline passed first (including before the call
     *     started, in which case the call never runs)
     * @throws RuntimeException what the call threw, unchanged if unchecked; checked exceptions are
     *     wrapped in {@link LimitedCallException}
     */
    public <T> T call(Deadline deadline, LimitedCall<T> call) {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(call, "call");
        Deadline effective = deadline.child(timeout);
        long remaining = effective.remainingNanos();
        if (remaining <= 0) {
            throw exceeded(effective, 0, null);
        }
        LimitedExecution execution = new LimitedExecution(Thread.currentThread(), interrupt);
        long deadlineNanos = clock.nanoTime() + remaining;
        if (timer != null) {
            execution.arm(timer, deadlineNanos);
        } else {
            execution.arm((TimerClock) clock, deadlineNanos);
        }
        T result;
        try {
            result = call.call(execution);
        } catch (Throwable failure) {
            if (execution.finish()) {
                throw rethrow(failure);
            }
            throw exceeded(effective, remaining, failure);
        }
        if (execution.finish()) {
            return result;
        }
        // The timer won the race: the result may be one the cancellation produced (say, a partial
        // read), so it is not trusted.
        throw exceeded(effective, remaining, null);
    }

    /** The most any call gets, whatever deadline it is given. */
    public Duration timeout() {
        return timeout;
    }

    /** Whether the caller's thread is interrupted when a deadline passes. */
    public boolean interrupts() {
        return interrupt;
    }

    private DeadlineExceededException exceeded(Deadline deadline, long budgetNanos, Throwable cause) {
        Duration budget = Duration.ofNanos(budgetNanos);
        TimeoutEvent event = new TimeoutEvent(budget, deadline.elapsed(), deadline.overshoot());
        timeoutListener.accept(event);
        return new DeadlineExceededException("limited call", event.budget(), event.elapsed(), event.overshoot(), cause);
    }

    private static RuntimeException rethrow(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new LimitedCallException(failure);
    }

    /** Builds a {@link TimeLimiter}; {@link #build()} copies, so the limiter never changes. */
    public static final class Builder {
        private final Duration timeout;
        private boolean interrupt = true;
        private NanoClock clock = NanoClock.system();
        private Consumer<TimeoutEvent> timeoutListener = event -> {};

        private Builder(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, but was " + timeout);
            }
            if (timeout.toNanos() < 1_000_000) {
                throw new IllegalArgumentException("timeout must be at least 1 ms, but was " + timeout);
            }
            this.timeout = timeout;
        }

        /**
         * Whether to interrupt the caller's thread when the deadline passes (default true). Turn it
         * off when the call registers a cancel action that is enough on its own, or when the call
         * touches something an interrupt damages (H2 closes its file channel on interrupt).
         */
        public Builder interrupt(boolean interrupt) {
            this.interrupt = interrupt;
            return this;
        }

        /**
         * The clock deadlines are measured on and fire by: {@link NanoClock#system()} (the default)
         * or a {@link TimerClock}. Checked by {@link #build()}: any other clock could measure a
         * deadline but not fire it.
         */
        public Builder clock(NanoClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Told about every call whose deadline fired, with the overshoot; runs on the caller. */
        public Builder onTimeout(Consumer<TimeoutEvent> listener) {
            this.timeoutListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * A limiter with these settings.
         *
         * @throws IllegalArgumentException if the clock is neither the system clock nor a {@link TimerClock}
         */
        public TimeLimiter build() {
            if (clock != NanoClock.system() && !(clock instanceof TimerClock)) {
                throw new IllegalArgumentException(
                        "a TimeLimiter's clock must fire its deadlines: NanoClock.system() or a TimerClock"
                                + " (such as ManualNanoClock), but was "
                                + clock.getClass().getName());
            }
            return new TimeLimiter(this);
        }
    }
}
