package io.valerix.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.testing.ChildJvm;
import io.valerix.core.testing.DatabaseEngine;
import io.valerix.core.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
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

    @Parameter
    DatabaseEngine engine;

    @TempDir
    Path dir;

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
            try (ChildJvm child = startChild("life" + life)) {
                assertThat(next(child)).as("first line of life %d", life).isEqualTo("READY");
                int killAfter = 20 + random.nextInt(400);
                int acks = 0;
                while (acks < killAfter) {
                    String line = next(child);
                    if (line == null) {
                        throw new AssertionError("the child of life " + life + " ended before its kill; its stderr:\n"
                                + child.stderrTail());
                    }
                    acks += record(line, acknowledged);
                }

                // When it is killed at a random point, mid-transaction
                child.killMinusNine();
                for (String line = next(child); line != null; line = next(child)) {
                    record(line, acknowledged);
                }
            }

            // Then, reopened on the same files, everything acknowledged is there and stock adds up
            verify(acknowledged, "after kill " + life + " (seed " + seed + ")");
        }
        assertThat(acknowledged.values())
                .contains(
                        ReservationStatus.RESERVED,
                        ReservationStatus.REJECTED,
                        ReservationStatus.RELEASED,
                        ReservationStatus.CANCELLED);
    }

    private void verify(Map<String, ReservationStatus> acknowledged, String when) {
        try (HikariDataSource db = database.open(2)) {
            InventoryService inventory = InventoryService.create(
                    db,
                    InventoryConfig.builder()
                            .stock(CrashingInventoryProcess.STOCK)
                            .build());
            acknowledged.forEach((orderId, status) -> {
                ReservationStatus found = inventory.find(orderId).status();
                if (status == ReservationStatus.RESERVED) {
                    // A release may have committed without living to say so.
                    assertThat(found)
                            .as("%s %s", orderId, when)
                            .isIn(ReservationStatus.RESERVED, ReservationStatus.RELEASED);
                } else {
                    assertThat(found).as("%s %s", orderId, when).isEqualTo(status);
                }
            });
            assertThat(inventory.stockLevels()).as("stock %s", when).hasSize(3).allSatisfy(level -> {
                assertThat(level.isConserved())
                        .as("%s conserved %s", level, when)
                        .isTrue();
                assertThat(level.available()).as("%s available %s", level, when).isNotNegative();
            });
        }
    }

    private ChildJvm startChild(String life) throws IOException {
        return ChildJvm.of(CrashingInventoryProcess.class)
                .arguments(life, Integer.toString(THREADS))
                .arguments(database.toArguments())
                .stderrTo(dir.resolve(life + ".stderr.log"))
                .start();
    }

    private static String next(ChildJvm child) throws InterruptedException {
        return child.nextLine(Duration.ofSeconds(30));
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
}
