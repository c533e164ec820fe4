package io.valerix.core.testing;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The child's side of {@link ChildJvm}, for the {@code main} method of a class that a test starts
 * and kills: stdout carries only the protocol lines (everything written to {@code System.out}
 * goes to stderr with the logs), and the child never outlives the test JVM.
 *
 * <pre>{@code
 * PrintStream protocol = ChildJvmProtocol.begin();
 * // ... start the service ...
 * protocol.println("READY " + server.port());
 * ChildJvmProtocol.liveUntilKilled();
 * }</pre>
 */
public final class ChildJvmProtocol {

    /** Stops an orphan if the test JVM dies without killing it, and its stdin stays open. */
    private static final Duration MAX_LIFETIME = Duration.ofSeconds(120);

    private ChildJvmProtocol() {}

    /**
     * Takes stdout for the protocol (auto-flushed, UTF-8), sends {@code System.out} to stderr, and
     * halts this JVM when the test JVM closes the pipe to its stdin or dies.
     */
    public static PrintStream begin() {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Thread.ofPlatform().daemon().name("parent-watch").start(() -> {
            try {
                while (System.in.read() >= 0) {
                    // Nothing is sent; EOF means the test JVM closed the pipe or died.
                }
            } catch (IOException ignored) {
                // Same as EOF.
            }
            Runtime.getRuntime().halt(2);
        });
        return protocol;
    }

    /** Blocks until the test kills this JVM; halts it after two minutes in any case. */
    public static void liveUntilKilled() throws InterruptedException {
        new CountDownLatch(1).await(MAX_LIFETIME.toSeconds(), TimeUnit.SECONDS);
        Runtime.getRuntime().halt(3);
    }
}
