package io.valerix.harness.backup;

import static io.valerix.harness.backup.BackupAcceptanceTest.cliRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.valerix.core.backup.ArchiveManifest;
import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.SegmentInfo;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.health.HealthConfig;
import io.valerix.harness.cli.ExitCodes;
import io.valerix.harness.services.ServiceArchiving;
import io.valerix.harness.services.ServicePair;
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

    @TempDir
    Path dir;

    private ServicePair pair;
    private BackupServiceStandIn standIn;
    private Path archive;

    @BeforeEach
    void startServices() throws Exception {
        Path data = dir.resolve("data");
        archive = ServiceArchiving.defaultArchive(data);
        pair = ServicePair.start(
                new ServicePair.Settings(
                        0,
                        0,
                        GremlinSpec.none(),
                        1,
                        Duration.ofSeconds(5),
                        Map.of("widget", 1000, "gadget", 1000, "scarce", 60),
                        TOKEN,
                        data,
                        HealthConfig.defaults()),
                server -> {});
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
        assertThat(standIn.accepted())
                .singleElement()
                .satisfies(accepted -> assertThat(accepted.bytes()).isPositive());
        assertThat(dir.resolve("received")).isNotEmptyDirectory();

        // When the guard's claim is deleted by hand, the call is made, and the service says no
        Files.delete(archive.resolve("quota/" + day + ".json"));
        BackupAcceptanceTest.CliRun bypassed = backup();

        assertThat(bypassed.exit()).isEqualTo(ExitCodes.FAILED_VERDICT);
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
        try (Connection c = pair.archiving().inventoryDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate(
                    "UPDATE inventory_stock SET total = total + 1, available = available + 1 WHERE sku = 'widget'");
        }
        BackupAcceptanceTest.CliRun tampered = verify();

        assertThat(tampered.exit()).isEqualTo(ExitCodes.FAILED_VERDICT);
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
        List<SegmentInfo> segments = ArchiveManifest.read(ArchiveStore.directory(archive), ServiceArchiving.ORDERS)
                .orElseThrow()
                .segments();
        SegmentInfo last = segments.getLast();
        Files.write(archive.resolve(last.name()), new byte[] {1, 2, 3});

        BackupAcceptanceTest.CliRun run = cliRun(
                "restore",
                "--to",
                "latest",
                "--into",
                dir.resolve("restored").toString(),
                "--archive",
                archive.toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).contains(last.name()).contains("corrupt");
        assertThat(dir.resolve("restored")).doesNotExist();

        // A restore to before the damage still works
        BackupAcceptanceTest.CliRun earlier = cliRun(
                "restore",
                "--to",
                last.firstAt().minusNanos(1000).toString(),
                "--into",
                dir.resolve("earlier").toString(),
                "--archive",
                archive.toString());
        assertThat(earlier.exit()).as(earlier.err()).isZero();
        assertThat(earlier.out()).contains("orders").contains("inventory");
        assertThat(dir.resolve("earlier/orders/orders.mv.db")).exists();
        assertThat(dir.resolve("earlier/inventory/inventory.mv.db")).exists();
    }

    @Test
    void aRestoreToSomethingThatIsNotATimeIsAUsageError() {
        BackupAcceptanceTest.CliRun run = cliRun(
                "restore", "--to", "yesterday", "--into", dir.resolve("x").toString(), "--archive", archive.toString());
        assertThat(run.exit()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).contains("--to").contains("'latest' or an ISO-8601 instant");
    }

    @Test
    void beforeTheFirstDailyCallARestoreWorksAndTheCommandsSayPlainlyWhatIsWrong() throws Exception {
        // Given services that only started (their start took local base backups) and no daily call
        pair.archiving().orderArchiver().sealNow();
        pair.archiving().inventoryArchiver().sealNow();

        // When restored to the latest point
        BackupAcceptanceTest.CliRun latest = cliRun(
                "restore",
                "--to",
                "latest",
                "--into",
                dir.resolve("restored").toString(),
                "--archive",
                archive.toString());

        // Then it restores every order acknowledged so far, without a call to the backup service
        assertThat(latest.exit()).as(latest.err()).isZero();
        assertThat(standIn.calls()).isZero();
        assertThat(ArchiveManifest.read(ArchiveStore.directory(archive), ServiceArchiving.ORDERS)
                        .orElseThrow()
                        .baseBackups())
                .hasSize(1);
        assertThat(dir.resolve("restored/orders/orders.mv.db")).exists();

        // and a time before every base backup is exit 3, a missing archive exit 2, both creating nothing
        BackupAcceptanceTest.CliRun tooOld = cliRun(
                "restore",
                "--to",
                "2000-01-01T00:00:00Z",
                "--into",
                dir.resolve("old").toString(),
                "--archive",
                archive.toString());
        assertThat(tooOld.exit())
                .as(tooOld.err())
                .isEqualTo(ExitCodes.NO_BASE_BACKUP)
                .isEqualTo(3);
        assertThat(tooOld.err()).contains("is old enough");
        BackupAcceptanceTest.CliRun missing = cliRun(
                "restore",
                "--to",
                "latest",
                "--into",
                dir.resolve("none").toString(),
                "--archive",
                dir.resolve("no-archive-here").toString());
        assertThat(missing.exit()).as(missing.err()).isEqualTo(ExitCodes.ERROR).isEqualTo(2);
        assertThat(missing.err())
                .contains("there is no archive at "
                        + dir.resolve("no-archive-here").toAbsolutePath())
                .contains("--archive");
        assertThat(dir.resolve("old")).doesNotExist();
        assertThat(dir.resolve("none")).doesNotExist();

        // and a backup that looks at another archive than the services' names both directories and the option, before
        // any claim or call
        BackupAcceptanceTest.CliRun elsewhere = cliRun(
                "backup",
                "--order",
                pair.orderUri().toString(),
                "--inventory",
                pair.inventoryUri().toString(),
                "--admin-token",
                TOKEN,
                "--service",
                standIn.endpoint().toString());
        assertThat(elsewhere.exit()).isEqualTo(ExitCodes.ERROR);
        assertThat(elsewhere.err())
                .contains(Path.of("valerix-data", "archive").toAbsolutePath().toString())
                .contains("the default --data-dir valerix-data")
                .contains("archives into " + archive.toAbsolutePath())
                .contains("Pass --data-dir " + archive.getParent().toAbsolutePath());
        assertThat(standIn.calls()).isZero();
        assertThat(archive.resolve("quota/" + LocalDate.now(ZoneOffset.UTC) + ".json"))
                .doesNotExist();
    }

    @Test
    void aRestoredDirectoryInheritsTheDaysClaimSoABackupThereMakesNoSecondCall() throws Exception {
        // Given the day's call made, then a restore
        assertThat(backup().exit()).isZero();
        Path restored = dir.resolve("restored");
        BackupAcceptanceTest.CliRun restore =
                cliRun("restore", "--to", "latest", "--into", restored.toString(), "--archive", archive.toString());
        assertThat(restore.exit()).as(restore.err()).isZero();
        assertThat(restore.out()).contains("the new archive inherits that claim");
        pair.close();

        // When services run on the restored directory and a backup is taken there the same day
        pair = ServicePair.start(
                new ServicePair.Settings(
                        0,
                        0,
                        GremlinSpec.none(),
                        1,
                        Duration.ofSeconds(5),
                        Map.of("widget", 1000),
                        TOKEN,
                        restored,
                        HealthConfig.defaults()),
                server -> {});
        BackupAcceptanceTest.CliRun second = cliRun(
                "backup",
                "--data-dir",
                restored.toString(),
                "--order",
                pair.orderUri().toString(),
                "--inventory",
                pair.inventoryUri().toString(),
                "--admin-token",
                TOKEN,
                "--service",
                standIn.endpoint().toString());

        // Then the guard refuses it before any call: the stand-in saw one call, not two
        assertThat(second.exit()).isEqualTo(ExitCodes.FAILED_VERDICT);
        assertThat(second.err()).contains("inherited from the archive").contains("No call was made");
        assertThat(standIn.calls()).isEqualTo(1);
        // and the restored services' own archive restores from the first minute (their start took a local base backup)
        BackupAcceptanceTest.CliRun again = cliRun(
                "restore",
                "--to",
                "latest",
                "--into",
                dir.resolve("again").toString(),
                "--data-dir",
                restored.toString());
        assertThat(again.exit()).as(again.err()).isZero();
    }

    @Test
    void pruneRemovesWhatNoKeptBaseBackupNeedsAndVerifyStillPasses() throws Exception {
        // Given the start's base backups, orders after them, then the day's base backups
        ArchiveStore store = ArchiveStore.directory(archive);
        String startBase = ArchiveManifest.read(store, ServiceArchiving.ORDERS)
                .orElseThrow()
                .baseBackups()
                .getFirst()
                .name();
        assertThat(backup().exit()).isZero();

        // When pruned to keep only the newest base backup and what follows it
        BackupAcceptanceTest.CliRun prune = cliRun(
                "backup",
                "prune",
                "--keep-days",
                "0",
                "--archive",
                archive.toString(),
                "--order",
                pair.orderUri().toString(),
                "--inventory",
                pair.inventoryUri().toString(),
                "--admin-token",
                TOKEN);

        // Then the start's base backup and the segments only it needed are gone, and verify still passes
        assertThat(prune.exit()).as(prune.err()).isZero();
        assertThat(prune.out()).contains("removed 1 base backups").contains(startBase);
        assertThat(archive.resolve(startBase)).doesNotExist();
        ArchiveManifest orders =
                ArchiveManifest.read(store, ServiceArchiving.ORDERS).orElseThrow();
        assertThat(orders.baseBackups()).hasSize(1);
        for (SegmentInfo segment : orders.segments()) {
            assertThat(archive.resolve(segment.name())).exists();
        }
        BackupAcceptanceTest.CliRun verified = verify();
        assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out()).contains("PASS");

        // and a negative day count is a usage error
        assertThat(cliRun(
                                "backup",
                                "prune",
                                "--keep-days",
                                "-1",
                                "--archive",
                                archive.toString(),
                                "--admin-token",
                                TOKEN)
                        .exit())
                .isEqualTo(ExitCodes.ERROR);
    }

    private BackupAcceptanceTest.CliRun backup() {
        return cliRun(
                "backup",
                "--archive",
                archive.toString(),
                "--order",
                pair.orderUri().toString(),
                "--inventory",
                pair.inventoryUri().toString(),
                "--admin-token",
                TOKEN,
                "--service",
                standIn.endpoint().toString());
    }

    private BackupAcceptanceTest.CliRun verify() {
        return cliRun(
                "backup",
                "verify",
                "--archive",
                archive.toString(),
                "--order",
                pair.orderUri().toString(),
                "--inventory",
                pair.inventoryUri().toString(),
                "--admin-token",
                TOKEN);
    }
}
