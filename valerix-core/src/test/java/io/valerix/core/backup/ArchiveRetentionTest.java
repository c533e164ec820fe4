package io.valerix.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.backup.internal.Manifest;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.journal.ChangeJournal;
import io.valerix.core.testing.ManualWallClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention on the manifest model: three days of base backups and segments (some moved into list
 * files), pruned to the last day; what a kept base backup needs stays, the rest goes.
 */
class ArchiveRetentionTest {

    private static final Instant T0 = Instant.parse("2025-06-01T00:00:00Z");
    private static final String DB = "widgets";

    @TempDir
    Path dir;

    private ArchiveStore archive;
    private ManualWallClock clock;
    private Widgets widgets;
    private JournalArchiver archiver;

    @BeforeEach
    void openDatabase() {
        archive = ArchiveStore.directory(dir.resolve("archive"));
        clock = new ManualWallClock(T0);
        widgets = new Widgets(dir.resolve("live"), DB, ChangeJournal.on(clock), 2);
        // Two segments per manifest, so older ones move into list files as in a long-lived archive.
        archiver = JournalArchiver.builder(archive)
                .database(DB, widgets.db)
                .clock(clock)
                .maxManifestSegments(2)
                .build();
    }

    @AfterEach
    void closeDatabase() {
        archiver.close();
        widgets.close();
    }

    @Test
    void pruneRemovesWhatNoKeptBaseBackupNeedsAndKeepsTheRestRestorable() throws Exception {
        // Given base backups on three days, one segment per write
        BaseBackupInfo first = writeAndBase("a", 1); // row 1
        write("b", T0.plusSeconds(3600)); // row 2
        write("c", T0.plusSeconds(7200)); // row 3
        clock.set(T0.plus(Duration.ofDays(1)));
        BaseBackupInfo second = writeAndBase("d", 4); // row 4
        write("e", T0.plus(Duration.ofDays(1)).plusSeconds(3600)); // row 5
        clock.set(T0.plus(Duration.ofDays(2)));
        BaseBackupInfo third = writeAndBase("f", 6); // row 6
        write("g", T0.plus(Duration.ofDays(2)).plusSeconds(3600)); // row 7
        List<SegmentInfo> before =
                ArchiveManifest.read(archive, DB).orElseThrow().segments();
        Manifest manifestBefore = Manifest.read(archive, DB).orElseThrow();
        assertThat(manifestBefore.segmentLists)
                .as("older segments live in list files")
                .hasSize(2);

        // When pruned two hours into day 3, keeping one day
        clock.set(T0.plus(Duration.ofDays(2)).plusSeconds(7200));
        PrunedArchive pruned = archiver.prune(Duration.ofDays(1)).getFirst();

        // Then the base backup of day 2 stays (a restore to 24 h ago starts from it), and with it every later segment
        Instant keepFrom = T0.plus(Duration.ofDays(1)).plusSeconds(7200);
        assertThat(pruned.keepFrom()).isEqualTo(keepFrom);
        assertThat(pruned.oldestKept()).isEqualTo(second);
        assertThat(pruned.removedBaseBackups()).containsExactly(first);
        List<String> removedSegments = before.stream()
                .filter(s -> s.lastSeq() <= 3)
                .map(SegmentInfo::name)
                .toList();
        assertThat(removedSegments).hasSize(3);
        assertThat(pruned.removedFiles())
                .contains(first.name(), manifestBefore.segmentLists.getFirst().name())
                .containsAll(removedSegments);
        for (String removed : pruned.removedFiles()) {
            assertThat(archive.exists(removed)).as(removed).isFalse();
        }
        ArchiveManifest after = ArchiveManifest.read(archive, DB).orElseThrow();
        assertThat(after.baseBackups()).containsExactly(second, third);
        assertThat(after.segments()).extracting(SegmentInfo::firstSeq).containsExactly(4L, 5L, 6L, 7L);
        assertEveryListedFileExists();

        // and every instant from keepFrom on restores, the latest one to what the live database holds
        assertThat(contentsAt(RestorePoint.at(keepFrom), "at-keep-from")).containsOnlyKeys("a", "b", "c", "d", "e");
        assertThat(contentsAt(RestorePoint.at(T0.plus(Duration.ofDays(1))), "day-2"))
                .containsOnlyKeys("a", "b", "c", "d");
        PointInTimeRestore.builder(archive)
                .database(DB)
                .into(dir.resolve("latest"))
                .build()
                .run();
        try (HikariDataSource db = open(dir.resolve("latest"))) {
            assertThat(DatabaseDigest.of(DB, db).differences(DatabaseDigest.of(DB, widgets.db)))
                    .isEmpty();
        }
        // while a time only the removed base backup reached is refused as too old, not as damage
        assertThatThrownBy(() -> contentsAt(RestorePoint.at(T0.plusSeconds(7200)), "too-old"))
                .isInstanceOf(NoBaseBackupException.class);

        // and a second prune at the same time finds nothing more to remove
        assertThat(archiver.prune(Duration.ofDays(1)).getFirst().removedFiles()).isEmpty();
    }

    @Test
    void archivingGoesOnAfterAPruneWithoutListingRemovedFilesAgain() throws Exception {
        writeAndBase("a", 1);
        clock.set(T0.plus(Duration.ofDays(3)));
        BaseBackupInfo kept = writeAndBase("b", 2);

        archiver.prune(Duration.ZERO);
        write("c", T0.plus(Duration.ofDays(3)).plusSeconds(60));

        assertThat(ArchiveManifest.read(archive, DB).orElseThrow().baseBackups())
                .containsExactly(kept);
        assertEveryListedFileExists();
        assertThat(contentsAt(RestorePoint.latest(), "restored")).containsOnlyKeys("a", "b", "c");
    }

    @Test
    void anArchiveWithoutABaseBackupIsLeftAlone() throws Exception {
        write("a", T0);
        write("b", T0.plusSeconds(1));
        archiver.close();
        clock.set(T0.plus(Duration.ofDays(30)));

        PrunedArchive pruned =
                ArchiveRetention.prune(archive, DB, ArchiveRetention.keepFrom(Duration.ofDays(1), clock));

        assertThat(pruned.oldestKept()).isNull();
        assertThat(pruned.removedFiles()).isEmpty();
        assertThat(ArchiveManifest.read(archive, DB).orElseThrow().segments()).hasSize(2);
    }

    @Test
    void retentionNeedsOnlyTheManifestSoAnyEnginesFilesArePrunedAlike() throws Exception {
        // Given an archive no database wrote: base backups as tar files and WAL-like segments, listed in a manifest by
        // hand
        archiver.close();
        Manifest manifest = Manifest.empty("pg");
        Instant day = Instant.parse("2025-06-01T00:00:00Z");
        for (int i = 0; i < 3; i++) {
            Instant at = day.plus(Duration.ofDays(i));
            String name = String.format("pg/base/%020d.tar", i * 10L);
            archive.put(name, new byte[] {(byte) i});
            manifest.baseBackups.add(new BaseBackupInfo("pg", name, i * 10L, at, at, "00", 1));
        }
        for (long seq = 1; seq <= 25; seq += 5) {
            String name = String.format("pg/wal/%024d", seq);
            archive.put(name, new byte[] {1});
            manifest.append(
                    archive,
                    new SegmentInfo(
                            name,
                            seq,
                            seq + 4,
                            day.plus(Duration.ofHours(seq)),
                            day.plus(Duration.ofHours(seq + 4)),
                            "00",
                            1),
                    1_000);
        }
        manifest.write(archive);

        // When pruned to what a restore to the middle of the second day needs
        PrunedArchive pruned = ArchiveRetention.prune(archive, "pg", day.plus(Duration.ofHours(36)));

        // Then the second base backup (row 10) is the oldest kept, and only segments wholly before it are gone
        assertThat(pruned.oldestKept().name()).isEqualTo("pg/base/00000000000000000010.tar");
        assertThat(pruned.removedFiles())
                .containsExactlyInAnyOrder(
                        "pg/base/00000000000000000000.tar",
                        "pg/wal/000000000000000000000001",
                        "pg/wal/000000000000000000000006");
        assertThat(archive.exists("pg/wal/000000000000000000000011")).isTrue();
        assertThat(ArchiveManifest.read(archive, "pg").orElseThrow().segments())
                .extracting(SegmentInfo::firstSeq)
                .containsExactly(11L, 16L, 21L);
    }

    @Test
    void aNegativeKeepIsRefused() {
        assertThatThrownBy(() -> archiver.prune(Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-24H");
    }

    private BaseBackupInfo writeAndBase(String id, int n) throws Exception {
        widgets.put(id, n);
        archiver.sealNow();
        return archiver.takeBaseBackup(DB);
    }

    private void write(String id, Instant at) throws Exception {
        clock.set(at);
        widgets.put(id, 1);
        archiver.sealNow();
    }

    private Map<String, Integer> contentsAt(RestorePoint point, String into) throws Exception {
        PointInTimeRestore.builder(archive)
                .database(DB)
                .to(point)
                .into(dir.resolve(into))
                .build()
                .run();
        try (HikariDataSource db = open(dir.resolve(into))) {
            return Widgets.contents(db);
        }
    }

    private void assertEveryListedFileExists() throws Exception {
        Manifest manifest = Manifest.read(archive, DB).orElseThrow();
        List<String> listed = new ArrayList<>();
        manifest.baseBackups.forEach(base -> listed.add(base.name()));
        listed.addAll(manifest.listNames());
        manifest.segmentsAfter(archive, 0).forEach(segment -> listed.add(segment.name()));
        for (String name : listed) {
            assertThat(Files.exists(dir.resolve("archive").resolve(name)))
                    .as(name)
                    .isTrue();
        }
    }

    private static HikariDataSource open(Path restored) {
        return H2Database.open(restored.resolve(DB), DB, 1);
    }
}
