package io.valerix.harness.backup;

import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.health.HealthConfig;
import io.valerix.harness.services.ServicePair;
import io.valerix.harness.services.Storage;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of {@link BackupAcceptanceTest}: both services as the harness runs them (journal
 * on, archiving every second), on free ports, until killed. Prints {@code READY <order> <inventory>}
 * on stdout once serving; logs go to stderr. Arguments: data directory, admin token, and {@code
 * postgres} for a private PostgreSQL cluster under the data directory (H2 otherwise).
 */
public final class BackupServicesProcess {

  /** Stops an orphan if the test JVM dies without killing it. */
  private static final long MAX_LIFETIME_SECONDS = 120;

  private BackupServicesProcess() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    exitWhenTheParentGoes();
    Map<String, Integer> stock = new java.util.LinkedHashMap<>();
    for (String pair : OrderLoad.STOCK.split(",")) {
      String[] parts = pair.split("=");
      stock.put(parts[0], Integer.parseInt(parts[1]));
    }
    // Never closed: the process is meant to die with everything open, as a crash would.
    ServicePair.Settings settings = new ServicePair.Settings(0, 0, GremlinSpec.none(), 1, Duration.ofSeconds(5), stock, args[1],
        Path.of(args[0]), HealthConfig.defaults());
    if (args.length > 2 && args[2].equals("postgres")) {
      settings = settings.withStorage(Storage.privatePostgres());
    }
    ServicePair pair = ServicePair.start(settings, server -> {});
    out.println("READY " + pair.orderUri() + " " + pair.inventoryUri());
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
