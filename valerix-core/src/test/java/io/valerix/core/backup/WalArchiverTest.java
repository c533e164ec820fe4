package io.valerix.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.backup.internal.DirectoryArchiveStore;
import io.valerix.core.jdbc.PostgresCluster;
import io.valerix.core.journal.ChangeJournal;
import io.valerix.core.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL's own backup machinery behind the archive model: pg_receivewal-streamed WAL in
 * checksummed chunks plus a pg_basebackup base, restored by PostgreSQL's point-in-time recovery.
 * One private cluster for the class (WAL archiving takes a replication slot, which the shared
 * test cluster must not carry).
 */
class WalArchiverTest {

    @TempDir
    static Path dir;

    private static PostgresCluster cluster;
    private static HikariDataSource shop;
    private static DirectoryArchiveStore archive;
    private static WalArchiver archiver;
    private static List<BaseBackupInfo> takenAtStart;

    @BeforeAll
    static void startArchivingWithABaseBackup() {
        TestPostgres.requireBinaries();
        TestPostgres.letTheServerReach(dir);
        cluster = PostgresCluster.builder(dir.resolve("live"))
                .deleteOnClose(true)
                .maxConnections(20)
                .start();
        cluster.createDatabase("shop");
        shop = cluster.dataSource("shop", 2);
        archive = new DirectoryArchiveStore(dir.resolve("archive"));
        archiver = WalArchiver.builder(archive, "postgres")
                .cluster(cluster)
                .spool(dir.resolve("spool"))
                .database("shop", shop)
                .build()
                .start();
        // What a service does at start: a base backup only if the archive has none
        takenAtStart = archiver.baseBackupTaker().takeMissingBaseBackups();
    }

    @AfterAll
    static void stop() {
        if (archiver != null) {
            archiver.close();
        }
        if (shop != null) {
            shop.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aRestoreToAnInstantHoldsExactlyTheCommitsUpToItEvenPastTheArchivesLastCommit() throws Exception {
        // Given commits before and after a chosen instant, all sealed into the archive
        execute("CREATE TABLE items (id INTEGER PRIMARY KEY, status TEXT NOT NULL)");
        for (int i = 1; i <= 20; i++) {
            execute("INSERT INTO items VALUES (" + i + ", 'NEW')");
        }
        archiver.sealNow();
        Instant chosen = Instant.now();
        execute("UPDATE items SET status = 'SHIPPED' WHERE id = 1");
        for (int i = 21; i <= 30; i++) {
            execute("INSERT INTO items VALUES (" + i + ", 'NEW')");
        }
        Map<String, Long> sealed = archiver.sealNow();

        // Then the archive lists checksummed WAL chunks that follow on without a hole
        ArchiveManifest manifest = ArchiveManifest.read(archive, "postgres").orElseThrow();
        assertThat(manifest.baseBackups())
                .isNotEmpty()
                .allSatisfy(base -> assertThat(base.name()).endsWith(".pgbase.zip"));
        List<SegmentInfo> chunks = manifest.segments();
        assertThat(chunks).isNotEmpty();
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).firstSeq()).isEqualTo(chunks.get(i - 1).lastSeq() + 1);
        }
        assertThat(manifest.lastSeq() + 1).isEqualTo(sealed.get("postgres"));
        assertThat(manifest.lastAt()).hasValueSatisfying(at -> assertThat(at).isAfter(chosen));

        // When restored to the chosen instant, and to an instant after the last commit (the archive
        // ends before any commit past it: PostgreSQL stops short of the target, recovery goes to the end)
        RestoreResult atChosen = restore(RestorePoint.at(chosen), "chosen");
        RestoreResult afterAll = restore(RestorePoint.at(Instant.now()), "after-all");

        // Then each holds exactly what was committed by then
        assertThat(items(atChosen)).hasSize(20).containsEntry(1, "NEW");
        assertThat(items(afterAll)).hasSize(30).containsEntry(1, "SHIPPED");
        assertThat(afterAll.databases().getFirst().restoredSeq())
                .isGreaterThan(atChosen.databases().getFirst().restoredSeq());
    }

    @Test
    void aDigestAtItsWalPositionMatchesTheRestoreToExactlyThatPosition() throws Exception {
        execute("CREATE TABLE counters (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
        execute("INSERT INTO counters VALUES (1, 1)");
        DatabaseDigest live = archiver.digest("shop");
        execute("UPDATE counters SET n = 2 WHERE id = 1");
        archiver.sealNow();

        RestoreResult restored = restore(RestorePoint.seq(live.seq()), "digest");

        try (PostgresCluster copy =
                        PostgresCluster.start(restored.databases().getFirst().directory());
                HikariDataSource db = copy.dataSource("shop", 1)) {
            assertThat(DatabaseDigest.of("shop", db).differences(live)).isEmpty();
        }
    }

    @Test
    void aCorruptWalChunkStopsTheRestoreWithItsNameAndLeavesNothing() throws Exception {
        execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)");
        execute("INSERT INTO notes VALUES (1)");
        archiver.sealNow();
        Path corrupt = dir.resolve("corrupt-archive");
        copyTree(dir.resolve("archive"), corrupt);
        SegmentInfo last = ArchiveManifest.read(archive, "postgres")
                .orElseThrow()
                .segments()
                .getLast();
        Files.write(new DirectoryArchiveStore(corrupt).resolve(last.name()), new byte[] {1, 2, 3});

        Path target = dir.resolve("refused");
        assertThatThrownBy(() -> PointInTimeRestore.builder(ArchiveStore.directory(corrupt))
                        .database("postgres")
                        .into(target)
                        .build()
                        .run())
                .isInstanceOf(ArchiveDamagedException.class)
                .hasMessageContaining(last.name())
                .hasMessageContaining("corrupt");
        assertThat(target).doesNotExist();
    }

    @Test
    void asTheEnginesBaseBackupTakerItTakesTheClustersBaseOnlyWhileTheArchiveHasNone() {
        BaseBackupTaker taker = archiver.baseBackupTaker();

        assertThat(taker.databases()).containsExactly("postgres");
        assertThat(takenAtStart).singleElement().satisfies(base -> {
            assertThat(base.database()).isEqualTo("postgres");
            assertThat(base.name()).startsWith("postgres/base/").endsWith(".pgbase.zip");
        });
        assertThat(taker.hasBaseBackup("postgres")).isTrue();
        int bases = ArchiveManifest.read(archive, "postgres")
                .orElseThrow()
                .baseBackups()
                .size();
        assertThat(taker.takeMissingBaseBackups()).isEmpty();
        assertThat(ArchiveManifest.read(archive, "postgres").orElseThrow().baseBackups())
                .hasSize(bases);
        assertThatThrownBy(() -> taker.hasBaseBackup("shop"))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("'postgres'");
    }

    @Test
    void pruningThroughTheArchiverDropsTheOlderBaseAndItsChunksAndTheLatestRestoreStillHoldsEveryCommit()
            throws Exception {
        // Given a second archive of the cluster (its own slot) with two bases and chunks before and after the second
        DirectoryArchiveStore pruned = new DirectoryArchiveStore(dir.resolve("pruned-archive"));
        try (WalArchiver second = WalArchiver.builder(pruned, "postgres")
                .cluster(cluster)
                .spool(dir.resolve("pruned-spool"))
                .slot("valerix_prune_test")
                .build()
                .start()) {
            execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY)");
            BaseBackupInfo older = second.takeBaseBackup();
            execute("INSERT INTO ledger VALUES (1)");
            second.sealNow();
            BaseBackupInfo newer = second.takeBaseBackup();
            execute("INSERT INTO ledger VALUES (2)");
            second.sealNow();

            // When pruned keeping nothing older than now
            List<PrunedArchive> result = second.prune(java.time.Duration.ZERO);

            // Then the older base and the chunks only it needed are gone, from the manifest and the archive
            assertThat(result).singleElement().satisfies(archived -> {
                assertThat(archived.database()).isEqualTo("postgres");
                assertThat(archived.removedBaseBackups()).containsExactly(older);
                assertThat(archived.oldestKept()).isEqualTo(newer);
                assertThat(archived.removedFiles())
                        .hasSizeGreaterThan(1)
                        .allSatisfy(name -> assertThat(pruned.resolve(name)).doesNotExist());
            });
            ArchiveManifest manifest = ArchiveManifest.read(pruned, "postgres").orElseThrow();
            assertThat(manifest.baseBackups()).containsExactly(newer);
            assertThat(manifest.segments())
                    .isNotEmpty()
                    .allSatisfy(chunk -> assertThat(chunk.lastSeq()).isGreaterThan(newer.coversSeq()));
            assertThat(second.status().getFirst().baseBackups()).isEqualTo(1);
        }

        // And a restore to the latest instant still holds every commit
        RestoreResult latest = PointInTimeRestore.builder(pruned)
                .database("postgres")
                .into(dir.resolve("pruned-restore"))
                .build()
                .run();
        try (PostgresCluster copy =
                        PostgresCluster.start(latest.databases().getFirst().directory());
                HikariDataSource db = copy.dataSource("shop", 1);
                Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT count(*) FROM ledger")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(2);
        }
    }

    @Test
    void theChangeJournalRefusesToRunOnPostgres() {
        assertThatThrownBy(() -> ChangeJournal.on(Instant::now).install(shop))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PostgreSQL");
        assertThat(tableExists("valerix_journal")).isFalse();
    }

    private static RestoreResult restore(RestorePoint point, String into) {
        return PointInTimeRestore.builder(archive)
                .database("postgres")
                .to(point)
                .into(dir.resolve(into))
                .build()
                .run();
    }

    private static Map<Integer, String> items(RestoreResult restored) throws SQLException {
        Map<Integer, String> items = new LinkedHashMap<>();
        try (PostgresCluster copy =
                        PostgresCluster.start(restored.databases().getFirst().directory());
                HikariDataSource db = copy.dataSource("shop", 1);
                Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT id, status FROM items ORDER BY id")) {
            while (rows.next()) {
                items.put(rows.getInt(1), rows.getString(2));
            }
        }
        return items;
    }

    private static boolean tableExists(String table) {
        try (Connection c = shop.getConnection();
                Statement s = c.createStatement();
                ResultSet row = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
            row.next();
            return row.getBoolean(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = shop.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
