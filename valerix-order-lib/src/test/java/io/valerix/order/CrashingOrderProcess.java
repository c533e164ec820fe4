package io.valerix.order;

import io.valerix.core.testing.TestDatabase;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of {@link OrderCrashRecoveryTest}: an order server on a data directory, serving
 * until it is killed.
 *
 * <p>Prints {@code READY <port>} on stdout once it serves; everything else (logging) goes to
 * stderr. Arguments: inventory URI, order timeout and idempotency lease in milliseconds, then the
 * order database as {@link TestDatabase#toArguments()} wrote it (H2 files or a PostgreSQL URL).
 */
public final class CrashingOrderProcess {

  /** Stops an orphan if the test JVM dies without killing it. */
  private static final long MAX_LIFETIME_SECONDS = 120;

  private CrashingOrderProcess() {}

  /** The instance id of the child, which its restart in the test process takes over. */
  static final String INSTANCE_ID = "order-crash-test";

  public static void main(String[] args) throws Exception {
    PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    exitWhenTheParentGoes();

    // Never closed: the process is meant to die mid-request, as a crash would.
    OrderServer server = OrderServer.builder().serviceToken(ServiceTokens.SERVICE_TOKEN)
        .dataSource(TestDatabase.fromArguments(args, 3).open(16))
        .inventory(URI.create(args[0]))
        .timeout(Duration.ofMillis(Long.parseLong(args[1])))
        .idempotencyLease(Duration.ofMillis(Long.parseLong(args[2])))
        .instanceId(INSTANCE_ID)
        .build()
        .start();
    protocol.println("READY " + server.port());

    new CountDownLatch(1).await(MAX_LIFETIME_SECONDS, TimeUnit.SECONDS);
    Runtime.getRuntime().halt(3);
  }

  private static void exitWhenTheParentGoes() {
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
  }
}
