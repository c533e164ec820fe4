package io.valerix.core.deadline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeadlineTimerTest {

    private static final DeadlineTimer TIMER = DeadlineTimer.shared();

    /** A call armed with {@code delayNanos} whose cancel action records when it fired. */
    private static final class Probe {
        final LimitedExecution execution = new LimitedExecution(Thread.currentThread(), false);
        final CountDownLatch fired = new CountDownLatch(1);
        final AtomicLong firedAt = new AtomicLong();
        final long deadline;

        Probe(long delayNanos) {
            execution.onCancel(() -> {
                firedAt.set(System.nanoTime());
                fired.countDown();
            });
            deadline = System.nanoTime() + delayNanos;
            execution.arm(TIMER, deadline);
        }
    }

    @Test
    void shortDeadlinesArmedWhileALongOneIsPendingFireOnTimeAndNeverEarly() throws Exception {
        // Given a pending deadline an hour away, so the timer has a plan to sleep on
        Probe longOne = new Probe(TimeUnit.HOURS.toNanos(1));
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            // When four threads keep arming 20 ms deadlines that nobody finishes
            List<Future<long[]>> lateness = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                lateness.add(callers.submit(() -> {
                    long[] late = new long[40];
                    for (int i = 0; i < late.length; i++) {
                        Probe probe = new Probe(TimeUnit.MILLISECONDS.toNanos(20));
                        if (!probe.fired.await(5, TimeUnit.SECONDS)) {
                            return null;
                        }
                        late[i] = probe.firedAt.get() - probe.deadline;
                    }
                    return late;
                }));
            }

            // Then every one fired, none before its deadline, none waiting for the long one
            for (Future<long[]> result : lateness) {
                long[] late = result.get(60, TimeUnit.SECONDS);
                assertThat(late).as("a 20 ms deadline did not fire within 5 s").isNotNull();
                for (long nanos : late) {
                    assertThat(nanos).isNotNegative().isLessThan(TimeUnit.SECONDS.toNanos(2));
                }
            }
            assertThat(longOne.fired.getCount()).isOne();
        } finally {
            callers.shutdownNow();
            longOne.execution.finish();
        }
    }

    @Test
    void aCallThatFinishedInTimeIsNotKeptUntilItsDeadline() throws Exception {
        // Given a call armed for a minute that finishes at once, its cancel action holding a large object
        byte[][] payload = {new byte[8 * 1024 * 1024]};
        LimitedExecution execution = new LimitedExecution(Thread.currentThread(), false);
        execution.onCancel(() -> payload[0] = null);
        execution.arm(TIMER, System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
        assertThat(execution.finish()).isTrue();
        WeakReference<LimitedExecution> weak = new WeakReference<>(execution);
        execution = null;

        // When the timer has had a few drain intervals and a collection runs
        org.awaitility.Awaitility.await("the finished execution to be collected")
                .atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> {
                    System.gc();
                    return weak.get() == null;
                });

        // Then nothing holds it any more, long before its deadline
        assertThat(weak.get()).isNull();
    }
}
