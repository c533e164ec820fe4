package io.valerix.harness.fleet;

import java.io.IOException;

/**
 * Ties a child JVM's life to its parent's: the child halts when its standard input ends. The
 * parent never writes to the pipe, so EOF means the parent closed it or died, even by SIGKILL,
 * which runs no shutdown hook; a harness that dies therefore leaves no services behind.
 */
public final class ParentWatch {

    /** The exit status of a child that outlived its parent. */
    public static final int ORPHANED = 2;

    private ParentWatch() {}

    /** Starts the daemon thread that halts this JVM when standard input ends. */
    public static void haltWhenStdinEnds() {
        Thread.ofPlatform().daemon().name("parent-watch").start(() -> {
            try {
                while (System.in.read() >= 0) {
                    // Nothing is sent.
                }
            } catch (IOException ignored) {
                // Same as EOF.
            }
            // halt, not exit: shutdown hooks would drain requests for a parent that is gone.
            Runtime.getRuntime().halt(ORPHANED);
        });
    }
}
