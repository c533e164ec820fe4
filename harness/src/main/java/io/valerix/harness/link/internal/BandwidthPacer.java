package io.valerix.harness.link.internal;

import java.util.concurrent.TimeUnit;

/**
 * Spaces the bytes of one direction of the link so they pass at a rate, whichever connection
 * sends them: each slice books the next free stretch of one shared timeline and leaves at its end.
 */
final class BandwidthPacer {

    private long bookedUntilNanos;
    private boolean booked;

    /** Waits until {@code bytes} may pass at {@code bytesPerSecond}. */
    void acquire(int bytes, long bytesPerSecond) throws InterruptedException {
        long releaseNanos;
        synchronized (this) {
            long now = System.nanoTime();
            long from = booked && bookedUntilNanos - now > 0 ? bookedUntilNanos : now;
            releaseNanos = from + TimeUnit.SECONDS.toNanos(bytes) / bytesPerSecond;
            bookedUntilNanos = releaseNanos;
            booked = true;
        }
        long wait;
        while ((wait = releaseNanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
