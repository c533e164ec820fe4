package io.valerix.core.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DispatchStampTest {

    /** Runs each task at once on the calling thread, as a virtual thread would run it later. */
    private static final Executor INLINE = Runnable::run;

    @Test
    void aRequestParsedAfterItsThreadWaitedCountsFromTheHandOver() {
        AtomicLong first = new AtomicLong();
        AtomicLong second = new AtomicLong();
        long[] begin = new long[1];
        DispatchStamp.stamping(INLINE).execute(() -> {
            // Jetty parses later than the hand-over: here, 1 s later on its clock
            begin[0] = System.nanoTime() + 1_000_000_000L;
            first.set(DispatchStamp.takeOr(begin[0]));
            // a second request parsed by the same thread (keep-alive) gets no stale stamp
            second.set(DispatchStamp.takeOr(begin[0] + 5));
        });

        assertThat(first.get()).isLessThan(begin[0]);
        assertThat(begin[0] - first.get()).isGreaterThanOrEqualTo(1_000_000_000L);
        assertThat(second.get()).isEqualTo(begin[0] + 5);
    }

    @Test
    void aTaskHandedOverAfterTheParseKeepsJettysBeginTime() {
        AtomicLong taken = new AtomicLong();
        long parsedBefore = System.nanoTime() - 1_000_000_000L;
        DispatchStamp.stamping(INLINE).execute(() -> taken.set(DispatchStamp.takeOr(parsedBefore)));

        assertThat(taken.get()).isEqualTo(parsedBefore);
    }

    @Test
    void outsideAStampedTaskJettysBeginTimeStands() {
        assertThat(DispatchStamp.takeOr(42L)).isEqualTo(42L);
    }

    @Test
    void theStampEndsWithItsTask() {
        DispatchStamp.stamping(INLINE).execute(() -> {});

        assertThat(DispatchStamp.takeOr(7L)).isEqualTo(7L);
    }
}
