package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.DatabaseDigest;
import io.valerix.core.backup.JournalArchiver;
import io.valerix.core.backup.PointInTimeRestore;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.journal.ChangeJournal;
import io.valerix.order.internal.JdbcOrderStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order store with its change journal on: inserts and settlements are journaled, so a restore
 * from a base backup plus the archived journal equals the live database; off, there is no journal.
 */
class JournaledOrderStoreTest {

    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aRestoreFromBaseAndJournalEqualsTheLiveOrders() throws Exception {
        try (HikariDataSource db = H2Database.open(dir.resolve("live"), "orders", 4)) {
            // Given a journaled store and a base backup of its empty schema
            JdbcOrderStore store = new JdbcOrderStore(db, ChangeJournal.on(InstantSource.system()));
            JournalArchiver archiver = JournalArchiver.builder(ArchiveStore.directory(dir.resolve("archive")))
                    .database("orders", db)
                    .build();
            archiver.takeBaseBackup("orders");

            // When orders are placed, settled, placed twice, and settled twice
            for (int i = 0; i < 20; i++) {
                store.insertPending("o-" + i, "widget", 1 + i % 3, "pending", T0.plusSeconds(i));
            }
            assertThat(store.insertPending("o-1", "widget", 2, "pending", T0).created())
                    .isFalse();
            for (int i = 0; i < 20; i += 2) {
                assertThat(store.settle(
                                "o-" + i,
                                i % 4 == 0 ? OrderStatus.CONFIRMED : OrderStatus.REJECTED,
                                "settled",
                                T0.plusSeconds(60)))
                        .isTrue();
            }
            assertThat(store.settle("o-0", OrderStatus.FAILED, "late", T0.plusSeconds(90)))
                    .isFalse();
            archiver.sealNow();
            archiver.close();

            // Then the restore holds exactly the live rows
            PointInTimeRestore.builder(ArchiveStore.directory(dir.resolve("archive")))
                    .database("orders")
                    .into(dir.resolve("restored"))
                    .build()
                    .run();
            try (HikariDataSource restored =
                    H2Database.open(dir.resolve("restored").resolve("orders"), "orders", 2)) {
                assertThat(DatabaseDigest.of("restored", restored).differences(DatabaseDigest.of("live", db)))
                        .isEmpty();
                assertThat(new JdbcOrderStore(restored).countByStatus())
                        .containsEntry(OrderStatus.PENDING, 10L)
                        .containsEntry(OrderStatus.CONFIRMED, 5L)
                        .containsEntry(OrderStatus.REJECTED, 5L);
            }
        }
    }

    @Test
    void withTheJournalOffThereIsNoJournalAtAll() throws Exception {
        try (HikariDataSource db = H2Database.open(dir, "orders", 2)) {
            JdbcOrderStore store = new JdbcOrderStore(db);
            store.insertPending("o-1", "widget", 1, "pending", T0);
            store.settle("o-1", OrderStatus.CONFIRMED, "ok", T0);

            try (Connection c = db.getConnection();
                    ResultSet tables = c.getMetaData().getTables(null, null, "valerix_journal%", null)) {
                assertThat(tables.next()).isFalse();
            }
            assertThat(store.find("o-1").orElseThrow().status()).isEqualTo(OrderStatus.CONFIRMED);
        }
    }
}
