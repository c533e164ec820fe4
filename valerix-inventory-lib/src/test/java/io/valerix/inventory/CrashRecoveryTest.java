package io.valerix.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.testing.DatabaseEngine;
import io.valerix.core.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Durability: every reservation a store acknowledged survives {@code kill -9} of its JVM, and the
 * stock still adds up after every restart. On PostgreSQL the server survives (only the service's
 * JVM is killed), so this pins that the service acknowledges only what the server committed.
 */
@Tag("slow")
@ParameterizedClass
@EnumSource(DatabaseEngine.class)
class CrashRecoveryTest {

  private static final int LIVES = 4;
  private static final int THREADS = 4;
  private static final Pattern ACK = Pattern.compile("ACK (\\S+) (RESERVED|REJECTED|RELEASED|CANCELLED) END");
  private static final String EOF = "\u0000eof";

  @Parameter DatabaseEngine engine;
  @TempDir Path dir;
  private TestDatabase database;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void acknowledgedReservationsSurviveKillMinusNineAndStockAddsUp() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Map<String, ReservationStatus> acknowledged = new LinkedHashMap<>();
    database = engine.create(dir, "inventory");

    for (int life = 1; life <= LIVES; life++) {
      // Given a store working as fast as it can, acknowledging each committed call
      Process child = startChild("life" + life);
      try {
        BlockingQueue<String> lines = readLines(child);
        assertThat(next(lines)).as("first line of life %d", life).isEqualTo("READY");
        int killAfter = 20 + random.nextInt(400);
        int acks = 0;
        while (acks < killAfter) {
          acks += record(next(lines), acknowledged);
        }

        // When it is killed at a random point, mid-transaction
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (String line = next(lines); !line.equals(EOF); line = next(lines)) {
          record(line, acknowledged);
        }
      } finally {
        child.destroyForcibly();
      }

      // Then, reopened on the same files, everything acknowledged is there and stock adds up
      verify(acknowledged, "after kill " + life + " (seed " + seed + ")");
    }
    assertThat(acknowledged.values()).contains(
        ReservationStatus.RESERVED, ReservationStatus.REJECTED, ReservationStatus.RELEASED, ReservationStatus.CANCELLED);
  }

  private void verify(Map<String, ReservationStatus> acknowledged, String when) {
    try (HikariDataSource db = database.open(2)) {
      InventoryService inventory = InventoryService.create(db, InventoryConfig.builder().stock(CrashingInventoryProcess.STOCK).build());
      acknowledged.forEach((orderId, status) -> {
        ReservationStatus found = inventory.find(orderId).status();
        if (status == ReservationStatus.RESERVED) {
          // A release may have committed without living to say so.
          assertThat(found).as("%s %s", orderId, when).isIn(ReservationStatus.RESERVED, ReservationStatus.RELEASED);
        } else {
          assertThat(found).as("%s %s", orderId, when).isEqualTo(status);
        }
      });
      assertThat(inventory.stockLevels()).as("stock %s", when).hasSize(3).allSatisfy(level -> {
        assertThat(level.isConserved()).as("%s conserved %s", level, when).isTrue();
        assertThat(level.available()).as("%s available %s", level, when).isNotNegative();
      });
    }
  }

  private Process startChild(String life) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>(List.of(
        java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        CrashingInventoryProcess.class.getName(), life, Integer.toString(THREADS)));
    command.addAll(database.toArguments());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectError(dir.resolve(life + ".stderr.log").toFile());
    return builder.start();
  }

  /** Reads the child's stdout on a thread of its own, so the test never blocks on a dead pipe. */
  private static BlockingQueue<String> readLines(Process child) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread.ofPlatform().daemon().name("child-stdout").start(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // The pipe broke with the kill; what was read is all there is.
      } finally {
        lines.add(EOF);
      }
    });
    return lines;
  }

  private String next(BlockingQueue<String> lines) throws InterruptedException {
    String line = lines.poll(30, TimeUnit.SECONDS);
    if (line == null) {
      fail("no line from the child within 30 s; its stderr:%n%s", childStderr());
    }
    return line;
  }

  /** Records a whole ACK line (one cut short by the kill has no END and is ignored); returns 1 if it was one. */
  private static int record(String line, Map<String, ReservationStatus> acknowledged) {
    Matcher ack = ACK.matcher(line);
    if (!ack.matches()) {
      return 0;
    }
    acknowledged.put(ack.group(1), ReservationStatus.valueOf(ack.group(2)));
    return 1;
  }

  /** The last lines the children wrote to stderr, for a failure message. */
  private String childStderr() {
    List<String> logs = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".stderr.log")).toList()) {
        logs.addAll(Files.readAllLines(file));
      }
    } catch (IOException e) {
      logs.add("(could not read: " + e + ")");
    }
    return String.join("\n", logs.subList(Math.max(0, logs.size() - 40), logs.size()));
  }
}
