package io.valerix.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.journal.ChangeJournal;
import io.valerix.core.testing.ManualWallClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PointInTimeRestoreTest {

    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    private static final String DB = "widgets";

    @TempDir
    Path dir;

    private Path archiveDir;
    private ArchiveStore archive;
    private ManualWallClock clock;
    private Widgets widgets;
    private JournalArchiver archiver;

    @BeforeEach
    void openDatabase() {
        archiveDir = dir.resolve("archive");
        archive = ArchiveStore.directory(archiveDir);
        clock = new ManualWallClock(T0);
        widgets = new Widgets(dir.resolve("live"), DB, ChangeJournal.on(clock), 4);
        archiver = JournalArchiver.builder(archive)
                .database(DB, widgets.db)
                .clock(clock)
                .build();
    }

    @AfterEach
    void closeDatabase() {
        archiver.close();
        widgets.close();
    }

    @Test
    void restoreToLatestHoldsEveryArchivedWriteOnTopOfTheBaseBackup() throws Exception {
        // Given writes before and after a base backup, all archived
        widgets.put("a", 1);
        widgets.put("b", 2);
        BaseBackupInfo base = archiver.takeBaseBackup(DB);
        widgets.put("c", 3);
        widgets.put("a", 10);
        widgets.delete("b");
        archiver.sealNow();

        // When restored to the latest point
        RestoreResult result = restore(RestorePoint.latest(), "restored");

        // Then the restore holds exactly what the live database holds
        assertThat(base.coversSeq()).isEqualTo(2);
        RestoreResult.DatabaseRestore restored = result.databases().getFirst();
        assertThat(restored.baseBackup()).isEqualTo(base);
        assertThat(restored.changesApplied()).isEqualTo(3);
        assertThat(restored.restoredSeq()).isEqualTo(5);
        try (HikariDataSource db = open(dir.resolve("restored"))) {
            assertThat(Widgets.contents(db)).isEqualTo(Map.of("a", 10, "c", 3));
            DatabaseDigest live = DatabaseDigest.of(DB, widgets.db);
            assertThat(DatabaseDigest.of(DB, db).differences(live)).isEmpty();
            assertThat(DatabaseDigest.of(DB, db).seq()).isEqualTo(live.seq());
        }
    }

    @Test
    void restoreToATimeHoldsExactlyTheWritesStampedUpToIt() throws Exception {
        // Given one write per second, a base backup after the third, and a delete at 7 s
        for (int i = 1; i <= 10; i++) {
            clock.set(T0.plusSeconds(i));
            if (i == 7) {
                widgets.delete("w2");
            } else {
                widgets.put("w" + i, i);
            }
            if (i == 3) {
                archiver.takeBaseBackup(DB);
            }
            if (i % 2 == 0) {
                archiver.sealNow();
            }
        }
        archiver.sealNow();

        // When restored to 6 s, 6.5 s, 7 s and 3 s
        // Then each holds exactly the writes stamped at or before it
        assertThat(contentsAt(T0.plusSeconds(6), "at6")).containsOnlyKeys("w1", "w2", "w3", "w4", "w5", "w6");
        assertThat(contentsAt(T0.plusMillis(6500), "at6.5")).containsOnlyKeys("w1", "w2", "w3", "w4", "w5", "w6");
        assertThat(contentsAt(T0.plusSeconds(7), "at7")).containsOnlyKeys("w1", "w3", "w4", "w5", "w6");
        assertThat(contentsAt(T0.plusSeconds(3), "at3")).containsOnlyKeys("w1", "w2", "w3");
        assertThat(contentsAt(T0.plusSeconds(60), "later"))
                .containsOnlyKeys("w1", "w3", "w4", "w5", "w6", "w8", "w9", "w10");
    }

    @Test
    void aBaseBackupTakenWhileWritersRunHoldsExactlyTheChangesUpToItsPosition() throws Exception {
        InstantSource system = InstantSource.system();
        try (Widgets busy = new Widgets(dir.resolve("busy"), "busy", ChangeJournal.on(system), 4);
                JournalArchiver busyArchiver = JournalArchiver.builder(archive)
                        .database("busy", busy.db)
                        .sealInterval(Duration.ofMillis(50))
                        .build()
                        .start()) {
            // Given four writers bumping the tally (row k of the journal holds the k-th value)
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 100_000 && !stop.get(); i++) {
                        busy.bumpTally();
                    }
                    return null;
                }));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> ChangeJournalTest.counter(busy) > 200);

            // When a base backup is taken mid-stream, and writes go on after it
            BaseBackupInfo base = busyArchiver.takeBaseBackup("busy");
            long target = base.coversSeq() + 100;
            await().atMost(Duration.ofSeconds(20)).until(() -> ChangeJournalTest.counter(busy) > target);
            stop.set(true);
            for (Future<?> writer : writers) {
                writer.get(20, TimeUnit.SECONDS);
            }
            pool.shutdown();
            busyArchiver.sealNow();

            // Then the base alone holds exactly coversSeq bumps, the base plus 100 rows exactly 100 more,
            // and the latest restore equals the live database
            assertThat(base.coversSeq()).isGreaterThan(200);
            assertThat(tallyAt("busy", RestorePoint.seq(base.coversSeq()), "base-only"))
                    .isEqualTo(base.coversSeq());
            assertThat(tallyAt("busy", RestorePoint.seq(target), "base-plus")).isEqualTo(target);
            RestoreResult latest = PointInTimeRestore.builder(archive)
                    .database("busy")
                    .into(dir.resolve("latest"))
                    .build()
                    .run();
            try (HikariDataSource db = H2Database.open(dir.resolve("latest").resolve("busy"), "busy", 1)) {
                assertThat(DatabaseDigest.of("busy", db).differences(DatabaseDigest.of("busy", busy.db)))
                        .isEmpty();
            }
            assertThat(latest.databases().getFirst().restoredSeq()).isEqualTo(ChangeJournalTest.counter(busy));
        }
    }

    @Test
    void aCorruptSegmentStopsTheRestoreNamingItAndNothingAppears() throws Exception {
        SegmentInfo corrupt = archiveThreeSegments().get(1);
        Path file = archiveDir.resolve(corrupt.name());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);

        assertThatThrownBy(() -> restore(RestorePoint.latest(), "restored"))
                .isInstanceOf(ArchiveDamagedException.class)
                .hasMessageContaining(corrupt.name())
                .hasMessageContaining("corrupt")
                .satisfies(e -> assertThat(((ArchiveDamagedException) e).file()).isEqualTo(corrupt.name()));
        assertThat(dir.resolve("restored")).doesNotExist();
        assertNoTemporaryDirectoriesLeft();
    }

    @Test
    void aMissingSegmentStopsTheRestoreNamingIt() throws Exception {
        SegmentInfo missing = archiveThreeSegments().get(2);
        Files.delete(archiveDir.resolve(missing.name()));

        assertThatThrownBy(() -> restore(RestorePoint.latest(), "restored"))
                .isInstanceOf(ArchiveDamagedException.class)
                .hasMessageContaining(missing.name())
                .hasMessageContaining("missing");
        assertThat(dir.resolve("restored")).doesNotExist();
        assertNoTemporaryDirectoriesLeft();
    }

    @Test
    void aSegmentDroppedFromTheManifestIsAHoleTheRestoreNames() throws Exception {
        List<SegmentInfo> segments = archiveThreeSegments();
        ObjectMapper json = new ObjectMapper();
        Path manifest = archiveDir.resolve(DB + "/manifest.json");
        ObjectNode document = (ObjectNode) json.readTree(manifest.toFile());
        ((ArrayNode) document.get("segments")).remove(1);
        json.writeValue(manifest.toFile(), document);

        assertThatThrownBy(() -> restore(RestorePoint.latest(), "restored"))
                .isInstanceOf(ArchiveDamagedException.class)
                .hasMessageContaining("rows " + segments.get(1).firstSeq() + ".."
                        + segments.get(1).lastSeq());
        assertThat(dir.resolve("restored")).doesNotExist();
    }

    @Test
    void damageAfterTheRestorePointDoesNotStopARestoreBeforeIt() throws Exception {
        List<SegmentInfo> segments = archiveThreeSegments();
        Files.delete(archiveDir.resolve(segments.get(2).name()));

        restore(RestorePoint.at(segments.get(1).lastAt()), "restored");

        try (HikariDataSource db = open(dir.resolve("restored"))) {
            assertThat(Widgets.contents(db)).containsOnlyKeys("s1", "s2");
        }
    }

    @Test
    void segmentsMovedIntoListFilesAreStillRestoredAndChecked() throws Exception {
        archiver.close();
        archiver = JournalArchiver.builder(archive)
                .database(DB, widgets.db)
                .maxManifestSegments(2)
                .build();
        archiver.takeBaseBackup(DB);
        for (int i = 0; i < 7; i++) {
            widgets.put("l" + i, i);
            archiver.sealNow();
        }
        assertThat(archiveDir.resolve(DB + "/lists")).isNotEmptyDirectory();
        assertThat(ArchiveManifest.read(archive, DB).orElseThrow().segments()).hasSize(7);

        restore(RestorePoint.latest(), "restored");
        try (HikariDataSource db = open(dir.resolve("restored"))) {
            assertThat(Widgets.contents(db)).hasSize(7);
        }

        Path list;
        try (Stream<Path> lists = Files.list(archiveDir.resolve(DB + "/lists"))) {
            list = lists.findFirst().orElseThrow();
        }
        Files.writeString(list, "[]");
        assertThatThrownBy(() -> restore(RestorePoint.latest(), "again"))
                .isInstanceOf(ArchiveDamagedException.class)
                .hasMessageContaining(list.getFileName().toString());
    }

    @Test
    void aRestoreNeverOverwritesATargetThatHoldsAnything() throws Exception {
        archiveThreeSegments();
        Files.createDirectories(dir.resolve("occupied"));
        Files.writeString(dir.resolve("occupied/keep.txt"), "mine");

        assertThatThrownBy(() -> restore(RestorePoint.latest(), "occupied"))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("not empty");
        assertThat(dir.resolve("occupied/keep.txt")).hasContent("mine");

        Files.createDirectories(dir.resolve("empty"));
        restore(RestorePoint.latest(), "empty");
        assertThat(dir.resolve("empty").resolve(DB).resolve(DB + ".mv.db")).exists();
    }

    @Test
    void aStartTakesALocalBaseBackupOnlyWhenTheArchiveHasNoneAndRestoreWorksFromThere() throws Exception {
        widgets.put("a", 1);

        // When a service starts on an archive without a base backup, and again on one with
        List<BaseBackupInfo> first = archiver.takeMissingBaseBackups();
        List<BaseBackupInfo> second = archiver.takeMissingBaseBackups();

        // Then the first takes one, the second nothing, and a restore works from the first minute
        assertThat(first)
                .singleElement()
                .satisfies(base -> assertThat(base.coversSeq()).isEqualTo(1));
        assertThat(second).isEmpty();
        assertThat(archiver.hasBaseBackup(DB)).isTrue();
        widgets.put("b", 2);
        archiver.sealNow();
        assertThat(contentsAt(T0, "restored")).containsOnlyKeys("a", "b");
    }

    @Test
    void aTimeBeforeEveryBaseBackupIsRefusedClearly() throws Exception {
        clock.set(T0.plusSeconds(10));
        widgets.put("a", 1);
        archiver.takeBaseBackup(DB);

        assertThatThrownBy(() -> restore(RestorePoint.at(T0.plusSeconds(5)), "restored"))
                .isInstanceOf(NoBaseBackupException.class)
                .isNotInstanceOf(ArchiveDamagedException.class)
                .hasMessageContaining("no base backup of database 'widgets' is old enough");
    }

    @Test
    void aRestoredDatabaseContinuesTheNumberingAndRaisesSequencesPastRestoredRows() throws Exception {
        archiver.takeBaseBackup(DB);
        widgets.put("a", 40);
        archiver.sealNow();

        PointInTimeRestore.builder(archive)
                .database(DB)
                .sequenceFloor(DB, "widget_token", "widget", "n")
                .into(dir.resolve("restored"))
                .build()
                .run();

        try (Widgets restored = new Widgets(dir.resolve("restored").resolve(DB), DB, ChangeJournal.on(clock), 1)) {
            assertThat(ChangeJournalTest.journal(restored)).isEmpty();
            restored.put("b", 2);
            assertThat(ChangeJournalTest.journal(restored))
                    .extracting(ChangeJournalTest.Row::seq)
                    .containsExactly(2L);
            try (Connection c = restored.db.getConnection();
                    PreparedStatement next = c.prepareStatement("SELECT nextval('widget_token')");
                    ResultSet row = next.executeQuery()) {
                row.next();
                assertThat(row.getLong(1)).isGreaterThan(40);
            }
        }
    }

    @Test
    void theArchiverRefusesADatabaseRestoredToAnEarlierPoint() throws Exception {
        List<SegmentInfo> segments = archiveThreeSegments();
        restore(RestorePoint.at(segments.get(0).lastAt()), "earlier");
        try (HikariDataSource earlier = open(dir.resolve("earlier"))) {
            JournalArchiver sameArchive =
                    JournalArchiver.builder(archive).database(DB, earlier).build();
            assertThatThrownBy(sameArchive::start)
                    .isInstanceOf(BackupException.class)
                    .hasMessageContaining("restored to an earlier point");
            JournalArchiver.builder(ArchiveStore.directory(dir.resolve("new-archive")))
                    .database(DB, earlier)
                    .build()
                    .start()
                    .close();
        }
    }

    @Test
    void theArchiverSealsOnItsOwnAndACloseShipsTheRest() throws Exception {
        archiver.close();
        archiver = JournalArchiver.builder(archive)
                .database(DB, widgets.db)
                .sealInterval(Duration.ofMillis(100))
                .build()
                .start();
        widgets.put("a", 1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ArchiveManifest.read(archive, DB)
                                .map(ArchiveManifest::lastSeq)
                                .orElse(0L)
                        == 1);
        // The journal table keeps only what is not archived yet
        assertThat(ChangeJournalTest.journal(widgets)).isEmpty();

        widgets.put("b", 2);
        archiver.close();
        assertThat(ArchiveManifest.read(archive, DB).orElseThrow().lastSeq()).isEqualTo(2);
        assertThat(archiver.status()).singleElement().satisfies(status -> {
            assertThat(status.archivedSeq()).isEqualTo(2);
            assertThat(status.journalSeq()).isEqualTo(2);
            assertThat(status.lastError()).isNull();
        });
    }

    /** A base backup, then three sealed segments: s1 / s2 / s3, one write each, a second apart. */
    private List<SegmentInfo> archiveThreeSegments() throws SQLException {
        archiver.takeBaseBackup(DB);
        for (int i = 1; i <= 3; i++) {
            clock.set(T0.plusSeconds(i));
            widgets.put("s" + i, i);
            archiver.sealNow();
        }
        List<SegmentInfo> segments =
                ArchiveManifest.read(archive, DB).orElseThrow().segments();
        assertThat(segments).hasSize(3);
        return segments;
    }

    private RestoreResult restore(RestorePoint point, String into) {
        return PointInTimeRestore.builder(archive)
                .database(DB)
                .to(point)
                .into(dir.resolve(into))
                .build()
                .run();
    }

    private Map<String, Integer> contentsAt(Instant at, String into) throws SQLException {
        restore(RestorePoint.at(at), into);
        try (HikariDataSource db = open(dir.resolve(into))) {
            return Widgets.contents(db);
        }
    }

    private long tallyAt(String database, RestorePoint point, String into) throws SQLException {
        PointInTimeRestore.builder(archive)
                .database(database)
                .to(point)
                .into(dir.resolve(into))
                .build()
                .run();
        try (HikariDataSource db = H2Database.open(dir.resolve(into).resolve(database), database, 1);
                Connection c = db.getConnection();
                PreparedStatement read = c.prepareStatement("SELECT total FROM tally WHERE id = 1");
                ResultSet row = read.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private static HikariDataSource open(Path restored) {
        return H2Database.open(restored.resolve(DB), DB, 1);
    }

    private void assertNoTemporaryDirectoriesLeft() throws Exception {
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(path -> path.getFileName().toString()))
                    .noneMatch(name -> name.contains(".restoring-"));
        }
    }
}
