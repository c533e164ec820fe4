package io.valerix.core.deadline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.valerix.core.time.ManualNanoClock;
import io.valerix.core.time.NanoClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TimeLimiterTest {

    @Test
    void callThatFinishesInTimeReturnsItsResultOnTheCallersThread() {
        Thread caller = Thread.currentThread();

        Thread ranOn = TimeLimiter.of(Duration.ofSeconds(1)).call(cancel -> Thread.currentThread());

        assertThat(ranOn).isSameAs(caller);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void blockedPlatformThreadIsInterruptedAndGetsControlBackSoonAfterTheDeadline() {
        List<TimeoutEvent> events = new CopyOnWriteArrayList<>();
        TimeLimiter limiter = TimeLimiter.builder(Duration.ofMillis(100))
                .onTimeout(events::add)
                .build();
        AtomicBoolean workSawInterrupt = new AtomicBoolean();
        long start = System.nanoTime();

        assertThatThrownBy(() -> limiter.call(cancel -> {
                    try {
                        Thread.sleep(5_000);
                    } catch (InterruptedException e) {
                        workSawInterrupt.set(true);
                        throw e;
                    }
                    return "late";
                }))
                .isInstanceOf(DeadlineExceededException.class)
                .hasCauseInstanceOf(InterruptedException.class);

        // Control comes back at the deadline, long before the 5 s of work would end. How soon after
        // it is a speed figure (TimeoutFiringMeasurement in the benchmarks); on a loaded machine the
        // thread may wait for a core, so the bound here only separates "interrupted" from "waited".
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(elapsedMillis).isBetween(100L, 2_500L);
        assertThat(workSawInterrupt).isTrue();
        assertThat(Thread.currentThread().isInterrupted())
                .as("interrupt flag left clean")
                .isFalse();
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.budget()).isBetween(Duration.ofMillis(90), Duration.ofMillis(100));
            assertThat(event.overshoot()).isLessThan(Duration.ofMillis(2_400));
        });
    }

    @Test
    void registeredCancelActionRunsWhenTheDeadlinePassesAndNotOtherwise() {
        TimeLimiter limiter =
                TimeLimiter.builder(Duration.ofMillis(50)).interrupt(false).build();
        AtomicInteger cancels = new AtomicInteger();
        CountDownLatch released = new CountDownLatch(1);

        assertThatThrownBy(() -> limiter.call(cancel -> {
                    cancel.onCancel(() -> {
                        cancels.incrementAndGet();
                        released.countDown();
                    });
                    // Stands for a socket read that only the cancel action can unblock.
                    if (!released.await(5, TimeUnit.SECONDS)) {
                        throw new IOException("never cancelled");
                    }
                    throw new IOException("Canceled");
                }))
                .isInstanceOf(DeadlineExceededException.class);
        assertThat(cancels).hasValue(1);

        String fast = limiter.call(cancel -> {
            cancel.onCancel(cancels::incrementAndGet);
            return "ok";
        });
        assertThat(fast).isEqualTo("ok");
        assertThat(cancels).hasValue(1);
    }

    @Test
    void expiredDeadlineNeverStartsTheCall() {
        AtomicBoolean ran = new AtomicBoolean();

        assertThatThrownBy(() -> TimeLimiter.of(Duration.ofSeconds(1))
                        .call(Deadline.after(Duration.ZERO), cancel -> ran.getAndSet(true)))
                .isInstanceOf(DeadlineExceededException.class);
        assertThat(ran).isFalse();
    }

    @Test
    void theEarlierOfTimeoutAndDeadlineLimitsTheCall() {
        TimeLimiter generous = TimeLimiter.of(Duration.ofSeconds(10));
        long start = System.nanoTime();

        assertThatThrownBy(() -> generous.call(Deadline.after(Duration.ofMillis(60)), cancel -> {
                    Thread.sleep(5_000);
                    return null;
                }))
                .isInstanceOf(DeadlineExceededException.class);
        // The 60 ms deadline, not the 10 s timeout nor the 5 s of work (with room for a loaded machine).
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_500);
    }

    @Test
    void failuresOfACallThatFinishedInTimePassThrough() {
        TimeLimiter limiter = TimeLimiter.of(Duration.ofSeconds(1));

        assertThatThrownBy(() -> limiter.call(cancel -> {
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("boom");
        assertThatThrownBy(() -> limiter.call(cancel -> {
                    throw new IOException("io");
                }))
                .isInstanceOf(LimitedCallException.class)
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void interruptNeverLeaksPastTheCallWhenTimerAndCallRace() {
        // Deadlines equal to the work's length make the timer and the call finish together.
        TimeLimiter limiter = TimeLimiter.of(Duration.ofMillis(1));
        for (int i = 0; i < 2_000; i++) {
            int call = i;
            try {
                limiter.call(cancel -> {
                    long until = System.nanoTime() + 1_000_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    return call;
                });
            } catch (DeadlineExceededException expected) {
                // Either outcome is fine; a stray interrupt afterwards is not.
            }
            assertThat(Thread.interrupted())
                    .as("stray interrupt after call %d", i)
                    .isFalse();
        }
    }

    @Test
    void aCallerAlreadyInterruptedKeepsItsInterruptFlag() {
        Thread.currentThread().interrupt();
        try {
            String result = TimeLimiter.of(Duration.ofSeconds(1)).call(cancel -> "ok");
            assertThat(result).isEqualTo("ok");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void manyVirtualThreadsTimeOutTogetherWithoutPinningTheCarriers() throws Exception {
        TimeLimiter limiter = TimeLimiter.of(Duration.ofMillis(200));
        int threads = 1_000;
        CountDownLatch done = new CountDownLatch(threads);
        AtomicInteger timedOut = new AtomicInteger();
        long start = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            Thread.ofVirtual().start(() -> {
                try {
                    limiter.call(cancel -> {
                        Thread.sleep(10_000);
                        return null;
                    });
                } catch (DeadlineExceededException e) {
                    timedOut.incrementAndGet();
                } finally {
                    done.countDown();
                }
            });
        }

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(timedOut).hasValue(threads);
        // Had each blocked call pinned one of the few carriers, they would have timed out in turns.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);
    }

    @Test
    void timeoutsBelowOneMillisecondAreRejectedRatherThanTruncated() {
        assertThatThrownBy(() -> TimeLimiter.of(Duration.ofNanos(500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 ms");
        assertThatThrownBy(() -> TimeLimiter.of(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onAManualClockTheDeadlineFiresExactlyWhenTheClockPassesItAndNotBefore() {
        ManualNanoClock clock = new ManualNanoClock();
        List<TimeoutEvent> events = new CopyOnWriteArrayList<>();
        TimeLimiter limiter = TimeLimiter.builder(Duration.ofSeconds(2))
                .clock(clock)
                .interrupt(false)
                .onTimeout(events::add)
                .build();
        AtomicInteger cancels = new AtomicInteger();
        AtomicBoolean cancelledEarly = new AtomicBoolean();

        assertThatThrownBy(() -> limiter.call(cancel -> {
                    cancel.onCancel(cancels::incrementAndGet);
                    clock.advance(Duration.ofMillis(1_999));
                    cancelledEarly.set(cancel.isCancelled());
                    clock.advance(Duration.ofMillis(1)); // the deadline: the timer fires on this thread, now
                    return cancel.isCancelled() ? "cancelled" : "ran on";
                }))
                .isInstanceOf(DeadlineExceededException.class);

        assertThat(cancelledEarly).as("not fired 1 ms before the deadline").isFalse();
        assertThat(cancels).hasValue(1);
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.budget()).isEqualTo(Duration.ofSeconds(2));
            assertThat(event.elapsed()).isEqualTo(Duration.ofSeconds(2));
        });
    }

    @Test
    void onAManualClockACallThatEndsBeforeTheDeadlineIsNeverCancelledLater() {
        ManualNanoClock clock = new ManualNanoClock();
        TimeLimiter limiter =
                TimeLimiter.builder(Duration.ofSeconds(1)).clock(clock).build();
        AtomicInteger cancels = new AtomicInteger();

        String result = limiter.call(cancel -> {
            cancel.onCancel(cancels::incrementAndGet);
            clock.advance(Duration.ofMillis(999));
            return "in time";
        });
        clock.advance(Duration.ofSeconds(5));

        assertThat(result).isEqualTo("in time");
        assertThat(cancels).hasValue(0);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aClockThatCannotFireDeadlinesIsRefusedAtBuild() {
        NanoClock measuresOnly = () -> 42L;

        assertThatThrownBy(() -> TimeLimiter.builder(Duration.ofSeconds(1))
                        .clock(measuresOnly)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TimerClock");
    }
}
