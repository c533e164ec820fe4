package io.valerix.core.idempotency;

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
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract again with the change journal on; after every test, a restore from a base
 * backup taken before it plus the archived journal must equal the live database, which proves
 * that every write the test made (purges included) went into the journal.
 */
class JournaledJdbcIdempotencyStoreTest extends IdempotencyStoreContract {

    @TempDir
    Path dir;

    private HikariDataSource db;
    private IdempotencyStore store;
    private JournalArchiver archiver;

    @BeforeEach
    void openDatabase() {
        db = H2Database.open(dir.resolve("live"), "idempotency", 8);
        SchemaMigrations.migrate(db, IdempotencyStore.SCHEMA);
        store = IdempotencyStore.of(db, ChangeJournal.on(InstantSource.system()));
        archiver = JournalArchiver.builder(ArchiveStore.directory(dir.resolve("archive")))
                .database("idempotency", db)
                .build();
        archiver.takeBaseBackup("idempotency");
    }

    @AfterEach
    void restoreEqualsLiveAndClose() {
        try {
            archiver.sealNow();
            PointInTimeRestore.builder(archiver.store())
                    .database("idempotency")
                    .into(dir.resolve("restored"))
                    .build()
                    .run();
            try (HikariDataSource restored =
                    H2Database.open(dir.resolve("restored").resolve("idempotency"), "idempotency", 1)) {
                assertThat(DatabaseDigest.of("restored", restored).differences(DatabaseDigest.of("live", db)))
                        .isEmpty();
            }
        } finally {
            archiver.close();
            db.close();
        }
    }

    @Override
    IdempotencyStore store() {
        return store;
    }
}
