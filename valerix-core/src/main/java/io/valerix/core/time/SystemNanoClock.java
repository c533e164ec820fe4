package io.valerix.core.time;

/** {@link System#nanoTime()}, as one instance so code can tell the system clock from others. */
enum SystemNanoClock implements NanoClock {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
