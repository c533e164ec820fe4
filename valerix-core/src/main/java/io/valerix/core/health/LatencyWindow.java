package io.valerix.core.health;

import io.valerix.core.time.NanoClock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.HdrHistogram.PackedConcurrentHistogram;
import org.HdrHistogram.PackedHistogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * A rolling window of request latencies on HdrHistogram: the last {@link HealthConfig#window()}
 * in {@link HealthConfig#slice() slices}, with percentiles to 3 significant digits.
 *
 * <p>The window holds the slice the clock is in plus the {@code sliceCount - 1} slices before
 * it, so at any reading it covers between {@code window - slice} and {@code window} of history;
 * requests leave it a whole slice at a time as the clock moves. Slices are aligned to the
 * window's creation. Latencies above {@link HealthConfig#maxLatency()} are recorded as that
 * value, so a runaway measurement cannot grow the histogram without bound.
 *
 * <p>Thread-safe. {@link #record} is wait-free except once per slice, when the first recording
 * thread in a new slice closes the previous one under a lock; {@link #snapshot()} takes that lock.
 */
public final class LatencyWindow {

  static final int SIGNIFICANT_DIGITS = 3;

  private final NanoClock clock;
  private final long originNanos;
  private final long sliceNanos;
  private final int sliceCount;
  private final long maxLatencyNanos;

  /*
   * Why a phaser double buffer and not one ConcurrentHistogram per slice: a per-slice histogram
   * must be reset when its ring position is reused, while a writer that read the clock a moment
   * earlier may still be recording into it, so old requests would leak into the new slice or new
   * ones be wiped. HdrHistogram's Recorder solves exactly that with a WriterReaderPhaser: writers
   * are wait-free, and the reader swaps buffers and waits until no writer is still in the old one.
   * We use the same phaser directly rather than a Recorder so that a latency and its error flag
   * sit in one buffer and always land in the same slice. Packed histograms keep memory
   * proportional to the distinct values seen, which matters with one window per request key.
   */
  private final WriterReaderPhaser phaser = new WriterReaderPhaser();
  private volatile Buffer active = new Buffer();
  private volatile long currentSlice;

  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private Buffer inactive = new Buffer();
  private final PackedHistogram[] slices;
  private final long[] sliceErrors;
  private final long[] sliceIndexes;
  private final PackedHistogram merged = new PackedHistogram(SIGNIFICANT_DIGITS);

  private LatencyWindow(HealthConfig config, NanoClock clock) {
    this.clock = clock;
    this.originNanos = clock.nanoTime();
    this.sliceNanos = config.slice().toNanos();
    this.sliceCount = config.sliceCount();
    this.maxLatencyNanos = config.maxLatency().toNanos();
    this.slices = new PackedHistogram[sliceCount];
    for (int i = 0; i < sliceCount; i++) {
      slices[i] = new PackedHistogram(SIGNIFICANT_DIGITS);
    }
    this.sliceErrors = new long[sliceCount];
    this.sliceIndexes = new long[sliceCount];
    Arrays.fill(sliceIndexes, -1L);
  }

  /**
   * A window shaped by {@code config} (window, slice, maxLatency) that reads {@code clock}.
   *
   * @throws NullPointerException if an argument is null
   */
  public static LatencyWindow create(HealthConfig config, NanoClock clock) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    return new LatencyWindow(config, clock);
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

  long sliceOf(long nanoTime) {
    return Math.floorDiv(nanoTime - originNanos, sliceNanos);
  }

  void recordAt(long now, long latencyNanos, boolean error) {
    if (latencyNanos < 0) {
      throw new IllegalArgumentException("latencyNanos must not be negative, but was " + latencyNanos);
    }
    long value = Math.min(latencyNanos, maxLatencyNanos);
    long slice = sliceOf(now);
    if (slice > currentSlice) {
      advanceTo(slice);
    }
    // A writer that read the clock just before another thread advanced lands in the new slice:
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

  WindowSnapshot snapshotAt(long now) {
    lock.lock();
    try {
      long slice = Math.max(sliceOf(now), currentSlice);
      drainInto(currentSlice);
      currentSlice = slice;
      long oldest = Math.max(0, slice - sliceCount + 1);
      merged.reset();
      long errors = 0;
      for (int i = 0; i < sliceCount; i++) {
        if (sliceIndexes[i] >= oldest) {
          merged.add(slices[i]);
          errors += sliceErrors[i];
        }
      }
      long count = merged.getTotalCount();
      if (count == 0) {
        return WindowSnapshot.EMPTY;
      }
      // Before the window has filled, the rate is over the time since creation; never less
      // than one slice, so a burst right after start does not read as an absurd rate.
      long coveredNanos = Math.max(now - (originNanos + oldest * sliceNanos), sliceNanos);
      return new WindowSnapshot(
          count,
          errors,
          count * 1e9 / coveredNanos,
          (double) errors / count,
          Duration.ofNanos(merged.getValueAtPercentile(50.0)),
          Duration.ofNanos(merged.getValueAtPercentile(90.0)),
          Duration.ofNanos(merged.getValueAtPercentile(99.0)),
          Duration.ofNanos(merged.getValueAtPercentile(99.9)),
          Duration.ofNanos(merged.getMaxValue()));
    } finally {
      lock.unlock();
    }
  }

  private void advanceTo(long slice) {
    lock.lock();
    try {
      if (slice > currentSlice) {
        drainInto(currentSlice);
        currentSlice = slice;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Moves everything recorded so far into the ring position of {@code slice}. */
  private void drainInto(long slice) {
    phaser.readerLock();
    try {
      Buffer full = active;
      active = inactive;
      inactive = full;
      // Returns once no writer is still inside the buffer we just took away.
      phaser.flipPhase();
      int position = (int) Math.floorMod(slice, (long) sliceCount);
      if (sliceIndexes[position] != slice) {
        slices[position].reset();
        sliceErrors[position] = 0;
        sliceIndexes[position] = slice;
      }
      slices[position].add(full.histogram);
      sliceErrors[position] += full.errors.sumThenReset();
      full.histogram.reset();
    } finally {
      phaser.readerUnlock();
    }
  }

  private static final class Buffer {
    final PackedConcurrentHistogram histogram = new PackedConcurrentHistogram(SIGNIFICANT_DIGITS);
    final LongAdder errors = new LongAdder();
  }
}
