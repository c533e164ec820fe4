package io.valerix.harness.backup;

import static io.valerix.harness.backup.BackupAcceptanceTest.cliRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.valerix.core.backup.ArchiveManifest;
import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.SegmentInfo;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.health.HealthConfig;
import io.valerix.harness.ServicePair;
import io.valerix.harness.ValerixCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup commands against both services running in this JVM and a real stand-in backup service. */
class BackupCommandTest {

  private static final String TOKEN = "command-test-token-0123456789";

  @TempDir Path dir;
  private ServicePair pair;
  private BackupServiceStandIn standIn;
  private Path archive;

  @BeforeEach
  void startServices() throws Exception {
    Path data = dir.resolve("data");
    archive = ServiceArchiving.defaultArchive(data);
    pair = ServicePair.start(new ServicePair.Settings(0, 0, GremlinSpec.none(), 1, Duration.ofSeconds(5),
        Map.of("widget", 1000, "gadget", 1000, "scarce", 60), TOKEN, data, HealthConfig.defaults()), server -> {});
    standIn = BackupServiceStandIn.start(0, InstantSource.system(), dir.resolve("received"));
    try (OrderLoad load = new OrderLoad(pair.orderUri(), "cmd", 2)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> load.acks().size() >= 15);
    }
  }

  @AfterEach
  void stopServices() {
    standIn.close();
    pair.close();
  }

  @Test
  void theStandInRefusesASecondCallTheSameDayEvenWhenTheGuardIsBypassed() throws Exception {
    LocalDate day = LocalDate.now(ZoneOffset.UTC);
    assertThat(backup().exit()).isZero();
    assertThat(standIn.accepted()).singleElement().satisfies(accepted -> assertThat(accepted.bytes()).isPositive());
    assertThat(dir.resolve("received")).isNotEmptyDirectory();

    // When the guard's claim is deleted by hand, the call is made, and the service says no
    Files.delete(archive.resolve("quota/" + day + ".json"));
    BackupAcceptanceTest.CliRun bypassed = backup();

    assertThat(bypassed.exit()).isEqualTo(ValerixCli.EXIT_FAILED_VERDICT);
    assertThat(bypassed.err()).contains("429").contains("backup-quota-exceeded");
    assertThat(standIn.calls()).isEqualTo(2);
    assertThat(standIn.accepted()).hasSize(1);
  }

  @Test
  void verifyPassesOnAFaithfulArchiveAndFailsNamingATableWrittenBehindTheJournal() throws Exception {
    assertThat(backup().exit()).isZero();
    try (OrderLoad more = new OrderLoad(pair.orderUri(), "more", 2)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> more.acks().size() >= 10);
    }

    BackupAcceptanceTest.CliRun faithful = verify();
    assertThat(faithful.exit()).as(faithful.out() + faithful.err()).isZero();
    assertThat(faithful.out()).contains("orders").contains("inventory").contains("PASS");

    // When a row changes without going through the journal
    try (Connection c = pair.archiving().inventoryDatabase().getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE inventory_stock SET total = total + 1, available = available + 1 WHERE sku = 'widget'");
    }
    BackupAcceptanceTest.CliRun tampered = verify();

    assertThat(tampered.exit()).isEqualTo(ValerixCli.EXIT_FAILED_VERDICT);
    assertThat(tampered.out()).contains("inventory_stock").contains("FAIL").doesNotContain("orders: ");
  }

  @Test
  void aRestoreFromACorruptArchiveExitsNamingTheSegmentAndCreatesNothing() throws Exception {
    assertThat(backup().exit()).isZero();
    // Sealed now, so the segments written from here on hold only changes after the base backups
    pair.archiving().orderArchiver().sealNow();
    pair.archiving().inventoryArchiver().sealNow();
    try (OrderLoad more = new OrderLoad(pair.orderUri(), "more", 2)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> more.acks().size() >= 10);
    }
    pair.archiving().orderArchiver().sealNow();
    List<SegmentInfo> segments = ArchiveManifest.read(ArchiveStore.directory(archive), ServiceArchiving.ORDERS).orElseThrow().segments();
    SegmentInfo last = segments.getLast();
    Files.write(archive.resolve(last.name()), new byte[] {1, 2, 3});

    BackupAcceptanceTest.CliRun run = cliRun("restore", "--to", "latest", "--into", dir.resolve("restored").toString(),
        "--archive", archive.toString());

    assertThat(run.exit()).isEqualTo(ValerixCli.EXIT_ERROR);
    assertThat(run.err()).contains(last.name()).contains("corrupt");
    assertThat(dir.resolve("restored")).doesNotExist();

    // A restore to before the damage still works
    BackupAcceptanceTest.CliRun earlier = cliRun("restore", "--to", last.firstAt().minusNanos(1000).toString(),
        "--into", dir.resolve("earlier").toString(), "--archive", archive.toString());
    assertThat(earlier.exit()).as(earlier.err()).isZero();
    assertThat(earlier.out()).contains("orders").contains("inventory");
    assertThat(dir.resolve("earlier/orders/orders.mv.db")).exists();
    assertThat(dir.resolve("earlier/inventory/inventory.mv.db")).exists();
  }

  @Test
  void aRestoreToSomethingThatIsNotATimeIsAUsageError() {
    BackupAcceptanceTest.CliRun run = cliRun("restore", "--to", "yesterday", "--into", dir.resolve("x").toString(),
        "--archive", archive.toString());
    assertThat(run.exit()).isEqualTo(ValerixCli.EXIT_ERROR);
    assertThat(run.err()).contains("--to").contains("'latest' or an ISO-8601 instant");
  }

  private BackupAcceptanceTest.CliRun backup() {
    return cliRun("backup", "--archive", archive.toString(), "--order", pair.orderUri().toString(),
        "--inventory", pair.inventoryUri().toString(), "--admin-token", TOKEN, "--service", standIn.endpoint().toString());
  }

  private BackupAcceptanceTest.CliRun verify() {
    return cliRun("backup", "verify", "--archive", archive.toString(), "--order", pair.orderUri().toString(),
        "--inventory", pair.inventoryUri().toString(), "--admin-token", TOKEN);
  }
}
