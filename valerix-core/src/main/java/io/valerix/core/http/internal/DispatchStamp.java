package io.valerix.core.http.internal;

import io.valerix.core.time.NanoClock;
import java.util.concurrent.Executor;

/**
 * When Jetty handed a connection's work to a virtual thread: the moment its selector saw the
 * request's bytes, which is when the request arrived as far as the server can tell.
 *
 * <p>Why: Jetty reads and parses a request on the virtual thread it then runs the handler on, so
 * its own begin time is when that thread first ran. In a burst of new connections the thread waits
 * for a carrier behind everyone else's work: 60 orders at once on 2 cores measured 64 ms at the
 * median and 290 ms at worst between a connection's accept and the parse of its request. A deadline
 * counted from the parse would answer that much later than the client's timeout.
 *
 * <p>The stamp is read at most once per task ({@link #takeOr}): a later request parsed by the same
 * thread on a kept-alive connection falls back to Jetty's begin time, never to a stale stamp.
 */
public final class DispatchStamp {

    private static final NanoClock CLOCK = NanoClock.system(); // Jetty's clock: System.nanoTime()
    private static final ThreadLocal<long[]> STAMP = new ThreadLocal<>();

    private DispatchStamp() {}

    /** {@code virtualThreads}, with each task stamped with the time it was handed over. */
    public static Executor stamping(Executor virtualThreads) {
        return task -> {
            long handedOver = CLOCK.nanoTime();
            virtualThreads.execute(() -> {
                STAMP.set(new long[] {handedOver});
                try {
                    task.run();
                } finally {
                    STAMP.remove();
                }
            });
        };
    }

    /**
     * The current task's stamp if it is earlier than {@code begin} (the request was waiting for this
     * thread), else {@code begin}; either way the stamp is used up.
     */
    static long takeOr(long begin) {
        long[] stamp = STAMP.get();
        if (stamp == null) {
            return begin;
        }
        STAMP.remove();
        return stamp[0] - begin < 0 ? stamp[0] : begin;
    }
}
