package io.valerix.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.DatabaseDigest;
import io.valerix.core.backup.JournalArchiver;
import io.valerix.core.backup.PointInTimeRestore;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.jdbc.SchemaMigrations;
import io.valerix.core.journal.ChangeJournal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory with its change journal on: every kind of write (seed, reserve, reject, release,
 * tombstone) is journaled, so a restore from a base backup plus the archived journal equals the
 * live database; with the journal off, no journal exists at all.
 */
class JournaledInventoryTest {

    @TempDir
    Path dir;

    @Test
    void aRestoreFromBaseAndJournalEqualsTheLiveInventoryAfterConcurrentWork() throws Exception {
        try (HikariDataSource db = H2Database.open(dir.resolve("live"), "inventory", 8)) {
            // Given a journaled inventory and a base backup taken after its schema exists but before seeding
            InventoryConfig config = InventoryConfig.builder()
                    .changeJournal(ChangeJournal.on(InstantSource.system()))
                    .stock("plenty=100000,scarce=30")
                    .build();
            SchemaMigrations.migrate(db, "inventory");
            ChangeJournal.on(InstantSource.system()).install(db);
            JournalArchiver archiver = JournalArchiver.builder(ArchiveStore.directory(dir.resolve("archive")))
                    .database("inventory", db)
                    .build();
            archiver.takeBaseBackup("inventory");
            InventoryService inventory = InventoryService.create(db, config);

            // When four threads reserve, get rejected, release and cancel ahead of reservations
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String prefix = "t" + t + "-";
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 60; i++) {
                        String orderId = prefix + i;
                        if (i % 7 == 6) {
                            inventory.release(orderId);
                        }
                        inventory.reserve(orderId, i % 2 == 0 ? "plenty" : "scarce", 1 + i % 3);
                        if (i % 4 == 3) {
                            inventory.release(orderId);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            archiver.sealNow();
            archiver.close();

            // Then the restore holds exactly the live rows, and its stock adds up
            PointInTimeRestore.builder(ArchiveStore.directory(dir.resolve("archive")))
                    .database("inventory")
                    .into(dir.resolve("restored"))
                    .build()
                    .run();
            try (HikariDataSource restored =
                    H2Database.open(dir.resolve("restored").resolve("inventory"), "inventory", 2)) {
                assertThat(DatabaseDigest.of("restored", restored).differences(DatabaseDigest.of("live", db)))
                        .isEmpty();
                List<StockLevel> levels = InventoryService.create(
                                restored, InventoryConfig.builder().build())
                        .stockLevels();
                assertThat(levels)
                        .hasSize(2)
                        .allSatisfy(level ->
                                assertThat(level.isConserved()).as("%s", level).isTrue());
                assertThat(levels)
                        .anySatisfy(level -> assertThat(level.reserved()).isPositive());
            }
        }
    }

    @Test
    void withTheJournalOffThereIsNoJournalAtAll() throws Exception {
        try (HikariDataSource db = H2Database.open(dir, "inventory", 2)) {
            InventoryService inventory = InventoryService.create(
                    db, InventoryConfig.builder().stock("widget=5").build());
            inventory.reserve("o-1", "widget", 2);
            inventory.release("o-2");

            try (Connection c = db.getConnection();
                    ResultSet tables = c.getMetaData().getTables(null, null, "valerix_journal%", null)) {
                assertThat(tables.next()).isFalse();
            }
            assertThat(inventory.stockLevel("widget").orElseThrow().available()).isEqualTo(3);
        }
    }
}
