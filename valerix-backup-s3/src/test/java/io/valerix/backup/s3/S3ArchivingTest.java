package io.valerix.backup.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.backup.s3.testing.S3Gate;
import io.valerix.backup.s3.testing.TestS3;
import io.valerix.core.backup.ArchiveManifest;
import io.valerix.core.backup.BackupQuotaExceededException;
import io.valerix.core.backup.BackupReceipt;
import io.valerix.core.backup.BackupService;
import io.valerix.core.backup.DailyBackup;
import io.valerix.core.backup.DatabaseDigest;
import io.valerix.core.backup.JournalArchiver;
import io.valerix.core.backup.PointInTimeRestore;
import io.valerix.core.backup.RestorePoint;
import io.valerix.core.backup.RestoreResult;
import io.valerix.core.health.HealthCheck;
import io.valerix.core.health.HealthReport;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.journal.ChangeJournal;
import io.valerix.core.journal.JournaledTable;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuous archiving, base backups, the daily quota claim and point-in-time restore with the
 * archive in a bucket of a real S3-compatible server, including a bucket that refuses writes.
 */
class S3ArchivingTest {

    private static final String DB = "notes";
    private static final JournaledTable NOTE = JournaledTable.of("note", "id");

    @TempDir
    Path dir;

    private S3Gate gate;
    private S3ArchiveStore archive;
    private HikariDataSource db;
    private ChangeJournal journal;
    private JournalArchiver archiver;

    @BeforeEach
    void openDatabaseAndBucket() throws SQLException {
        gate = TestS3.gate();
        archive = TestS3.store(gate, TestS3.newBucket(gate), "valerix");
        db = H2Database.open(dir.resolve("live"), DB, 4);
        try (Connection c = db.getConnection();
                Statement create = c.createStatement()) {
            create.execute("CREATE TABLE note (id VARCHAR(40) PRIMARY KEY, body VARCHAR(200) NOT NULL)");
        }
        journal = ChangeJournal.on(InstantSource.system());
        journal.install(db);
        archiver = JournalArchiver.builder(archive)
                .database(DB, db)
                .sealInterval(Duration.ofMillis(50))
                .maxRetryDelay(Duration.ofMillis(400))
                .build();
    }

    @AfterEach
    void close() {
        archiver.close();
        db.close();
        archive.close();
        gate.close();
    }

    @Test
    void archivedChangesRestoreFromTheBucketToExactlyWhatTheDatabaseHolds() throws Exception {
        // Given writes before and after a base backup, shipped to the bucket
        write("a", "first");
        write("b", "second");
        archiver.takeBaseBackup(DB);
        write("c", "third");
        write("a", "changed");
        archiver.sealNow();

        // When the archive is restored from the bucket to the latest point (what 'backup verify' does)
        RestoreResult result = PointInTimeRestore.builder(archive)
                .database(DB)
                .to(RestorePoint.latest())
                .into(dir.resolve("restored"))
                .build()
                .run();

        // Then it matches the live database, table by table, at the same journal row
        DatabaseDigest live = DatabaseDigest.of(DB, db);
        assertThat(result.databases()).singleElement().satisfies(restored -> {
            assertThat(restored.changesApplied()).isEqualTo(2);
            assertThat(restored.restoredSeq()).isEqualTo(live.seq());
        });
        try (HikariDataSource restored = H2Database.open(dir.resolve("restored").resolve(DB), DB, 1)) {
            assertThat(DatabaseDigest.of(DB, restored).differences(live)).isEmpty();
        }
        ArchiveManifest manifest = ArchiveManifest.read(archive, DB).orElseThrow();
        assertThat(manifest.lastSeq()).isEqualTo(live.seq());
        assertThat(manifest.segments())
                .allSatisfy(
                        segment -> assertThat(archive.exists(segment.name())).isTrue());
    }

    @Test
    void theDailyCallIsClaimedInTheBucketSoASecondOneIsRefusedBeforeItIsMade() throws SQLException {
        write("a", "first");
        AtomicInteger calls = new AtomicInteger();
        BackupService service = new BackupService() {
            @Override
            public String upload(Bundle bundle) {
                return "stored-" + calls.incrementAndGet();
            }

            @Override
            public String location() {
                return "the test's backup service";
            }
        };

        BackupReceipt receipt = DailyBackup.builder(archive, service).build().run(archiver::takeBaseBackups);
        // A second instance, with its own S3 client, on the same bucket and day
        try (S3ArchiveStore other = TestS3.store(gate, archive.bucket(), "valerix")) {
            assertThatThrownBy(() -> DailyBackup.builder(other, service).build().run(archiver::takeBaseBackups))
                    .isInstanceOf(BackupQuotaExceededException.class);
            assertThat(DailyBackup.builder(other, service).build().claimOfToday())
                    .hasValueSatisfying(
                            claim -> assertThat(claim.bundleSha256()).isEqualTo(receipt.bundleSha256()));
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void aBucketThatRefusesWritesLeavesWritersRunningShowsTheGapAndIsCaughtUpOnceItAcceptsAgain() throws Exception {
        // Given archiving that works
        write("before", "archived");
        archiver.takeBaseBackup(DB);
        archiver.start();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> archiver.status().getFirst().unarchivedChanges() == 0);
        HealthCheck health = archiver.healthCheck();
        assertThat(health.check().status()).isEqualTo(HealthReport.Status.UP);

        // When the bucket refuses writes
        gate.refuseWrites(true);
        for (int i = 0; i < 20; i++) {
            write("during-" + i, "waits in the journal");
        }

        // Then the writes succeed, the archiver fails, keeps retrying with a growing wait, and says so
        await().atMost(Duration.ofSeconds(30))
                .until(() -> archiver.status().getFirst().failedSeals() >= 3);
        JournalArchiver.DatabaseStatus failing = archiver.status().getFirst();
        assertThat(failing.unarchivedChanges()).isEqualTo(20);
        assertThat(failing.lastError()).contains("403 AccessDenied");
        assertThat(failing.failingSince()).isNotNull();
        assertThat(failing.nextSealAt()).isNotNull();
        assertThat(health.check()).satisfies(result -> {
            assertThat(result.status()).isEqualTo(HealthReport.Status.DOWN);
            assertThat(result.detail()).contains("fails since", "403 AccessDenied", "next attempt at");
        });
        int refusedSoFar = gate.refusedWrites();
        assertThat(refusedSoFar).isGreaterThanOrEqualTo(3);

        // When the bucket accepts writes again
        gate.refuseWrites(false);

        // Then the gap closes without anyone's help, and the archive restores every write
        await().atMost(Duration.ofSeconds(30))
                .until(() -> archiver.status().getFirst().unarchivedChanges() == 0
                        && archiver.status().getFirst().failedSeals() == 0);
        assertThat(health.check().status()).isEqualTo(HealthReport.Status.UP);
        archiver.sealNow();
        PointInTimeRestore.builder(archive)
                .database(DB)
                .to(RestorePoint.latest())
                .into(dir.resolve("healed"))
                .build()
                .run();
        try (HikariDataSource restored = H2Database.open(dir.resolve("healed").resolve(DB), DB, 1)) {
            assertThat(DatabaseDigest.of(DB, restored).differences(DatabaseDigest.of(DB, db)))
                    .isEmpty();
        }
    }

    private void write(String id, String body) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement merge = c.prepareStatement("MERGE INTO note (id, body) KEY (id) VALUES (?, ?)")) {
            merge.setString(1, id);
            merge.setString(2, body);
            journal.write(c, merge::executeUpdate, NOTE.row(id));
        }
    }
}
