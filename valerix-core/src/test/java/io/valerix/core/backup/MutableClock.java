package io.valerix.core.backup;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** A clock the test moves by hand; thread-safe. */
final class MutableClock implements InstantSource {

  private final AtomicReference<Instant> now;

  MutableClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  Instant advance(Duration by) {
    return now.updateAndGet(at -> at.plus(by));
  }

  void set(Instant at) {
    now.set(at);
  }
}
