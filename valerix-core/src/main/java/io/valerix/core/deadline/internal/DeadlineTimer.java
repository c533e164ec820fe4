package io.valerix.core.deadline.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer thread that fires every deadline in the JVM.
 *
 * <p>A single daemon platform thread suffices: firing only flips a state and cancels or
 * interrupts; the work happens on the callers' threads. Cancelled timers are removed at once so
 * the queue holds only live deadlines, not every call ever made.
 */
public final class DeadlineTimer {

  private static final DeadlineTimer SHARED = new DeadlineTimer();

  private final ScheduledThreadPoolExecutor executor;

  private DeadlineTimer() {
    executor =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "valerix-deadline-timer");
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
  }

  public static DeadlineTimer shared() {
    return SHARED;
  }

  ScheduledFuture<?> schedule(Runnable action, long delayNanos) {
    return executor.schedule(action, delayNanos, TimeUnit.NANOSECONDS);
  }
}
