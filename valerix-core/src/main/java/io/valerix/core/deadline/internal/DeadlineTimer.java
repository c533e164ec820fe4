package io.valerix.core.deadline.internal;

import io.valerix.core.time.NanoClock;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one timer thread that fires every deadline in the JVM.
 *
 * <p>A single daemon platform thread suffices: firing only flips a state and cancels or
 * interrupts; the work happens on the callers' threads.
 *
 * <p>Why not a {@code ScheduledThreadPoolExecutor}: almost every limited call finishes long before
 * its deadline, so its timer is armed and disarmed and never fires. With an executor each call pays
 * a lock, a heap insert and a heap removal, and since the queue is empty again after every call,
 * every schedule becomes the new head and wakes the timer thread: about 2 µs and a context switch
 * per call. Here arming is one lock-free enqueue; disarming is the caller's own compare-and-set in
 * {@link LimitedExecution#finish()}, and the timer drops finished calls lazily. The timer thread is
 * woken only when a new deadline is earlier than the time it already planned to look; while calls
 * keep coming it looks at least every {@link #DRAIN_INTERVAL_NANOS} to drop finished ones, so they
 * are not kept for longer than that (or, if still running then, until their deadline); when
 * nothing is pending it parks until the next call arms it. A deadline fires as soon as the timer
 * thread gets to run after it, as with the executor.
 */
public final class DeadlineTimer {

    private static final Logger log = LoggerFactory.getLogger(DeadlineTimer.class);

    /** How often a busy timer drops finished calls; also the longest it keeps one that finished young. */
    static final long DRAIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** "Not before this", when nothing is pending: far enough to be never, near enough not to overflow. */
    private static final long IDLE_HORIZON_NANOS = Long.MAX_VALUE / 4;

    private static final int MIN_PURGE_SIZE = 1_024;

    private static final DeadlineTimer SHARED = new DeadlineTimer();

    private final ConcurrentLinkedQueue<LimitedExecution> armed = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    /** The latest time the timer thread will look at {@link #armed} again, on the System.nanoTime scale. */
    private volatile long wakeAt;

    // Owned by the timer thread alone.
    private final PriorityQueue<LimitedExecution> pending =
            new PriorityQueue<>((a, b) -> Long.signum(a.deadlineNanos() - b.deadlineNanos()));
    private int purgeAt = MIN_PURGE_SIZE;

    private DeadlineTimer() {
        wakeAt = NanoClock.system().nanoTime() + IDLE_HORIZON_NANOS;
        thread = Thread.ofPlatform().name("valerix-deadline-timer").daemon().unstarted(this::loop);
        thread.start();
    }

    public static DeadlineTimer shared() {
        return SHARED;
    }

    /** Arms {@code execution}'s deadline ({@link LimitedExecution#deadlineNanos()}). */
    void arm(LimitedExecution execution) {
        armed.add(execution);
        // Pairs with the timer's loop: it publishes wakeAt before it drains, so either its drain
        // sees this execution, or this sees the wakeAt it may park until and wakes it if that is late.
        if (execution.deadlineNanos() - wakeAt < 0) {
            LockSupport.unpark(thread);
        }
    }

    private void loop() {
        boolean busy = false;
        while (true) {
            try {
                long now = NanoClock.system().nanoTime();
                // The plan may be later than the wakeAt callers saw so far, so it must be published before
                // draining: a call armed after this compares its deadline with the new plan.
                long plan = earliest(now + (busy ? DRAIN_INTERVAL_NANOS : IDLE_HORIZON_NANOS));
                wakeAt = plan;
                busy = drain();
                now = NanoClock.system().nanoTime();
                fireDue(now);
                long next = earliest(busy ? earlier(plan, now + DRAIN_INTERVAL_NANOS) : plan);
                if (next != plan) {
                    // Lowering is always safe: a caller that saw the higher value woke us if it had to.
                    wakeAt = next;
                }
                long delay = next - NanoClock.system().nanoTime();
                if (delay > 0) {
                    LockSupport.parkNanos(this, delay);
                }
            } catch (Throwable unexpected) {
                // Firing only runs guarded cancel actions and interrupts; nothing here should throw, but
                // if it does the timer must live on, or no deadline in the JVM would fire again.
                log.error("deadline timer failed; carrying on", unexpected);
            }
        }
    }

    /** The earlier of {@code time} and the first pending deadline. */
    private long earliest(long time) {
        LimitedExecution first = pending.peek();
        return first == null ? time : earlier(time, first.deadlineNanos());
    }

    private static long earlier(long a, long b) {
        return a - b <= 0 ? a : b;
    }

    /** Moves armed calls still running into {@link #pending}; returns whether any were armed. */
    private boolean drain() {
        boolean any = false;
        LimitedExecution execution;
        while ((execution = armed.poll()) != null) {
            any = true;
            if (!execution.isFinished()) {
                pending.add(execution);
            }
        }
        if (pending.size() > purgeAt) {
            pending.removeIf(LimitedExecution::isFinished);
            purgeAt = Math.max(MIN_PURGE_SIZE, pending.size() * 2);
        }
        return any;
    }

    private void fireDue(long now) {
        LimitedExecution first;
        while ((first = pending.peek()) != null && (first.isFinished() || first.deadlineNanos() - now <= 0)) {
            pending.poll();
            if (!first.isFinished()) {
                first.run();
            }
        }
    }
}
