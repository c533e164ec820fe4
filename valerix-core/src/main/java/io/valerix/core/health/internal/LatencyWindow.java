package io.valerix.core.health.internal;

import io.valerix.core.health.HealthConfig;
import io.valerix.core.health.WindowSnapshot;
import io.valerix.core.time.NanoClock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.HdrHistogram.AtomicHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntCountsHistogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * A rolling window of request latencies on HdrHistogram: the last {@link HealthConfig#window()}
 * in {@link HealthConfig#slice() slices}, with percentiles to 3 significant digits (within 0.1%)
 * and a resolution of 1 &micro;s below about 2 ms.
 *
 * <p>The window holds the slice the clock is in plus the {@code sliceCount - 1} slices before
 * it, so at any reading it covers between {@code window - slice} and {@code window} of history;
 * requests leave it a whole slice at a time as the clock moves. Slices are aligned to the
 * window's creation. Latencies above {@link HealthConfig#maxLatency()} are recorded as that
 * value, so a runaway measurement cannot grow the histogram without bound.
 *
 * <p>Memory is fixed at creation, whatever the traffic: about 1.3 MB with the defaults (10
 * slices, one-hour maximum). A snapshot costs tens to a few hundred microseconds.
 *
 * <p>Thread-safe. {@link #record} is lock-free except once per slice, when the first recording
 * thread in a new slice closes the previous one under a lock; {@link #snapshot()} takes that lock.
 */
public final class LatencyWindow {

    private static final int SIGNIFICANT_DIGITS = 3;
    // HTTP latencies below a microsecond are not a thing; the coarser unit saves a third of memory.
    private static final long LOWEST_DISCERNIBLE_NANOS = 1_000;
    private static final long NO_SLICE = -1;

    private final NanoClock clock;
    private final long originNanos;
    private final long sliceNanos;
    private final int sliceCount;
    private final long maxLatencyNanos;
    private final int digits;

    /*
     * Why a phaser double buffer and not one ConcurrentHistogram per slice: a per-slice histogram
     * must be reset when its ring position is reused, while a writer that read the clock a moment
     * earlier may still be recording into it, so old requests would leak into the new slice or new
     * ones be wiped. HdrHistogram's Recorder solves exactly that with a WriterReaderPhaser: writers
     * are lock-free, and the reader swaps buffers and waits until no writer is still in the old one.
     * We use the same phaser directly rather than a Recorder so that a latency and its error flag
     * sit in one buffer and always land in the same slice.
     */
    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private volatile Buffer active;
    private volatile long currentSlice;

    /*
     * Every histogram has the same fixed range, so adding one to another is a plain array walk.
     * Measured: HdrHistogram's memory-saving packed histograms take milliseconds per merge, which
     * would land on the request thread that judges the light. A running total of the slices in the
     * window (added to on drain, subtracted from when a slice leaves) spares a snapshot from
     * merging every slice. Slices count in ints to halve their memory: overflowing one bucket
     * would take 2^31 requests in one slice.
     */
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    private Buffer inactive;
    private final IntCountsHistogram[] slices;
    private final long[] sliceErrors;
    private final long[] sliceIndexes;
    private final Histogram total;
    private long totalErrors;

    private LatencyWindow(HealthConfig config, NanoClock clock, int digits) {
        this.clock = clock;
        this.originNanos = clock.nanoTime();
        this.sliceNanos = config.slice().toNanos();
        this.sliceCount = config.sliceCount();
        this.maxLatencyNanos = config.maxLatency().toNanos();
        this.digits = digits;
        this.active = new Buffer(this);
        this.inactive = new Buffer(this);
        this.slices = new IntCountsHistogram[sliceCount];
        for (int i = 0; i < sliceCount; i++) {
            slices[i] = new IntCountsHistogram(LOWEST_DISCERNIBLE_NANOS, maxLatencyNanos, digits);
        }
        this.sliceErrors = new long[sliceCount];
        this.sliceIndexes = new long[sliceCount];
        Arrays.fill(sliceIndexes, NO_SLICE);
        this.total = new Histogram(LOWEST_DISCERNIBLE_NANOS, maxLatencyNanos, digits);
    }

    /**
     * A window shaped by {@code config} (window, slice, maxLatency) that reads {@code clock}.
     *
     * @throws NullPointerException if an argument is null
     */
    public static LatencyWindow of(HealthConfig config, NanoClock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        return new LatencyWindow(config, clock, SIGNIFICANT_DIGITS);
    }

    /** A window with coarser percentiles, for the monitor's many per-key windows. */
    public static LatencyWindow of(HealthConfig config, NanoClock clock, int significantDigits) {
        return new LatencyWindow(config, clock, significantDigits);
    }

    /**
     * Records one request that took {@code latencyNanos}, in the slice of the clock's reading now.
     *
     * @param error whether the request's outcome counts as an error
     * @throws IllegalArgumentException if {@code latencyNanos} is negative (a clock misuse)
     */
    public void record(long latencyNanos, boolean error) {
        recordAt(clock.nanoTime(), latencyNanos, error);
    }

    /** The window's figures at the clock's reading now. */
    public WindowSnapshot snapshot() {
        return snapshotAt(clock.nanoTime());
    }

    public long sliceOf(long nanoTime) {
        return Math.floorDiv(nanoTime - originNanos, sliceNanos);
    }

    public void recordAt(long now, long latencyNanos, boolean error) {
        if (latencyNanos < 0) {
            throw new IllegalArgumentException("latencyNanos must not be negative, but was " + latencyNanos);
        }
        long value = Math.min(latencyNanos, maxLatencyNanos);
        long slice = sliceOf(now);
        if (slice > currentSlice) {
            lock.lock();
            try {
                moveTo(slice);
            } finally {
                lock.unlock();
            }
        }
        // A writer that read the clock just before another thread moved on lands in the new slice:
        // off by at most one slice, never lost.
        long phase = phaser.writerCriticalSectionEnter();
        try {
            Buffer buffer = active;
            buffer.histogram.recordValue(value);
            if (error) {
                buffer.errors.increment();
            }
        } finally {
            phaser.writerCriticalSectionExit(phase);
        }
    }

    public WindowSnapshot snapshotAt(long now) {
        lock.lock();
        try {
            long slice = sliceOf(now);
            if (slice > currentSlice) {
                moveTo(slice);
            } else {
                drain();
            }
            long count = total.getTotalCount();
            if (count == 0) {
                return WindowSnapshot.EMPTY;
            }
            // Before the window has filled, the rate is over the time since creation; never less
            // than one slice, so a burst right after start does not read as an absurd rate.
            long oldest = Math.max(0, currentSlice - sliceCount + 1);
            long coveredNanos = Math.max(now - (originNanos + oldest * sliceNanos), sliceNanos);
            return new WindowSnapshot(
                    count,
                    totalErrors,
                    count * 1e9 / coveredNanos,
                    (double) totalErrors / count,
                    Duration.ofNanos(total.getValueAtPercentile(50.0)),
                    Duration.ofNanos(total.getValueAtPercentile(90.0)),
                    Duration.ofNanos(total.getValueAtPercentile(99.0)),
                    Duration.ofNanos(total.getValueAtPercentile(99.9)),
                    Duration.ofNanos(total.getMaxValue()));
        } finally {
            lock.unlock();
        }
    }

    /** Closes the current slice and expires slices that are no longer in the window. */
    private void moveTo(long slice) {
        if (slice <= currentSlice) {
            return;
        }
        drain();
        currentSlice = slice;
        long oldest = slice - sliceCount + 1;
        for (int i = 0; i < sliceCount; i++) {
            if (sliceIndexes[i] != NO_SLICE && sliceIndexes[i] < oldest) {
                total.subtract(slices[i]);
                totalErrors -= sliceErrors[i];
                slices[i].reset();
                sliceErrors[i] = 0;
                sliceIndexes[i] = NO_SLICE;
            }
        }
    }

    /** Moves everything recorded so far into the current slice and the total. */
    private void drain() {
        // Empty is the common case for quiet keys; a writer racing with this check is drained next
        // time, as if it had come a moment later.
        if (active.histogram.getTotalCount() == 0 && active.errors.sum() == 0) {
            return;
        }
        phaser.readerLock();
        try {
            Buffer full = active;
            active = inactive;
            inactive = full;
            // Returns once no writer is still inside the buffer just taken away.
            phaser.flipPhase();
            int position = (int) Math.floorMod(currentSlice, (long) sliceCount);
            sliceIndexes[position] = currentSlice;
            long errors = full.errors.sumThenReset();
            slices[position].add(full.histogram);
            sliceErrors[position] += errors;
            total.add(full.histogram);
            totalErrors += errors;
            full.histogram.reset();
        } finally {
            phaser.readerUnlock();
        }
    }

    private static final class Buffer {
        final AtomicHistogram histogram;
        final LongAdder errors = new LongAdder();

        Buffer(LatencyWindow window) {
            histogram = new AtomicHistogram(LOWEST_DISCERNIBLE_NANOS, window.maxLatencyNanos, window.digits);
        }
    }
}
