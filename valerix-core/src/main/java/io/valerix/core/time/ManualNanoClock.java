package io.valerix.core.time;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link NanoClock} that only moves when told to: tests advance it instead of sleeping.
 *
 * <p>Thread-safe. It starts at an arbitrary non-zero reading so code that wrongly treats a
 * reading as an absolute time is caught.
 */
public final class ManualNanoClock implements NanoClock {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Override
  public long nanoTime() {
    return now.get();
  }

  /** Moves the clock forward by {@code duration}, which must not be negative. */
  public ManualNanoClock advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative, but was " + duration);
    }
    now.addAndGet(duration.toNanos());
    return this;
  }
}
