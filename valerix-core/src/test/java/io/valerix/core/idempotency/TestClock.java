package io.valerix.core.idempotency;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** A wall clock that only moves when a test says so, for leases and retention. Thread-safe. */
final class TestClock implements InstantSource {

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-01-01T00:00:00Z"));

  @Override
  public Instant instant() {
    return now.get();
  }

  TestClock advance(Duration duration) {
    now.updateAndGet(t -> t.plus(duration));
    return this;
  }
}
