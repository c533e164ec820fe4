package io.valerix.core.deadline.internal;

import io.valerix.core.deadline.CancelToken;
import io.valerix.core.time.TimerClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call under a deadline: the race between the call finishing and the timer firing.
 *
 * <p>The call and the timer race for one compareAndSet on {@code state}; whoever wins decides the
 * outcome. If the timer wins it cancels and interrupts, then marks itself done; the caller waits
 * for that mark before clearing the interrupt, so an interrupt can never land after the caller
 * has moved on to unrelated work.
 */
public final class LimitedExecution implements CancelToken, Runnable {

    private static final Logger log = LoggerFactory.getLogger(LimitedExecution.class);

    private static final int RUNNING = 0;
    private static final int FINISHED = 1;
    private static final int CANCELLING = 2;
    private static final int CANCELLED = 3;

    private final Thread caller;
    private final boolean interrupt;
    private final boolean callerWasInterrupted;
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final List<Runnable> cancelActions = new ArrayList<>(1);
    private long deadlineNanos;

    public LimitedExecution(Thread caller, boolean interrupt) {
        this.caller = caller;
        this.interrupt = interrupt;
        this.callerWasInterrupted = caller.isInterrupted();
    }

    /**
     * Arms the shared timer to fire at {@code deadlineNanos} on the {@link System#nanoTime()} scale;
     * call once, before the call starts.
     */
    public void arm(DeadlineTimer deadlineTimer, long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
        deadlineTimer.arm(this);
    }

    /** Arms {@code clock} to fire at {@code deadlineNanos} on its own scale; call once, before the call starts. */
    public void arm(TimerClock clock, long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
        clock.runAt(deadlineNanos, this);
    }

    /** When the timer fires, on the scale of the clock it was armed on. */
    long deadlineNanos() {
        return deadlineNanos;
    }

    /** Whether the call finished in time, so the timer has nothing left to do. */
    boolean isFinished() {
        return state.get() == FINISHED;
    }

    /** Timer side: the deadline passed. */
    @Override
    public void run() {
        if (!state.compareAndSet(RUNNING, CANCELLING)) {
            return;
        }
        List<Runnable> actions;
        synchronized (cancelActions) {
            actions = List.copyOf(cancelActions);
        }
        for (Runnable action : actions) {
            runQuietly(action);
        }
        if (interrupt) {
            caller.interrupt();
        }
        state.set(CANCELLED);
    }

    /**
     * Caller side: the call returned or threw.
     *
     * @return true if the call finished in time; false if the deadline fired first
     */
    public boolean finish() {
        if (state.compareAndSet(RUNNING, FINISHED)) {
            // Disarmed: the timer sees FINISHED and drops this. Until it does, it must not keep what the
            // cancel actions hold (an OkHttp call, say) alive.
            if (!cancelActions.isEmpty()) {
                synchronized (cancelActions) {
                    cancelActions.clear();
                }
            }
            return true;
        }
        // The timer is mid-way through cancelling: it only runs cancel actions, so this is short.
        while (state.get() == CANCELLING) {
            Thread.onSpinWait();
        }
        if (interrupt && !callerWasInterrupted) {
            Thread.interrupted();
        }
        return false;
    }

    @Override
    public void onCancel(Runnable action) {
        synchronized (cancelActions) {
            if (state.get() == RUNNING) {
                cancelActions.add(action);
                return;
            }
        }
        if (state.get() != FINISHED) {
            runQuietly(action);
        }
    }

    @Override
    public boolean isCancelled() {
        int current = state.get();
        return current == CANCELLING || current == CANCELLED;
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            // A failing cancel action must not stop the others or kill the timer thread.
            log.warn("cancel action failed", e);
        }
    }
}
