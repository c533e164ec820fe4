package io.valerix.core.time;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A {@link NanoClock} that only moves when told to: tests advance it instead of sleeping. Tasks
 * scheduled on it ({@link #runAt}) run on the thread that advances it past their time, in time
 * order, so a deadline on this clock fires exactly when the test says.
 *
 * <p>Thread-safe. It starts at an arbitrary non-zero reading so code that wrongly treats a
 * reading as an absolute time is caught.
 */
public final class ManualNanoClock implements TimerClock {

    private record Scheduled(long at, long order, Runnable task) {}

    private final PriorityQueue<Scheduled> scheduled = new PriorityQueue<>(
            (a, b) -> a.at() != b.at() ? Long.signum(a.at() - b.at()) : Long.compare(a.order(), b.order()));
    private long now = 1_000_000_000L;
    private long scheduledCount;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    /**
     * Moves the clock forward by {@code duration}, which must not be negative, then runs the tasks
     * whose time has come, on this thread.
     */
    public ManualNanoClock advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, but was " + duration);
        }
        List<Runnable> due = new ArrayList<>();
        synchronized (this) {
            now += duration.toNanos();
            while (!scheduled.isEmpty() && scheduled.peek().at() - now <= 0) {
                due.add(scheduled.poll().task());
            }
        }
        // Outside the lock: a task may read the clock or schedule another.
        due.forEach(Runnable::run);
        return this;
    }

    @Override
    public void runAt(long nanoTime, Runnable task) {
        Objects.requireNonNull(task, "task");
        synchronized (this) {
            if (nanoTime - now > 0) {
                scheduled.add(new Scheduled(nanoTime, scheduledCount++, task));
                return;
            }
        }
        task.run();
    }
}
