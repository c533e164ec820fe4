package io.valerix.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.journal.ChangeJournal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the archiver deletes from the journal once a seal has archived it: every archived row (more
 * than one delete batch's worth), none it has not archived; and after a restart, the rows a crash
 * left between archiving and deleting.
 */
class JournalPruneTest {

    private static final String DB = "widgets";

    @TempDir
    Path dir;

    private ArchiveStore archive;
    private Widgets widgets;

    @BeforeEach
    void open() {
        archive = ArchiveStore.directory(dir.resolve("archive"));
        widgets = new Widgets(dir.resolve("live"), DB, ChangeJournal.on(InstantSource.system()), 4);
    }

    @AfterEach
    void close() {
        widgets.close();
    }

    @Test
    void aSealDeletesEveryRowItArchivedAcrossSeveralDeleteBatchesAndAWriteAfterItStays() throws Exception {
        // Given more journal rows than one delete batch takes
        try (JournalArchiver archiver = archiver()) {
            for (int i = 0; i < 700; i++) {
                widgets.put("w" + i, i);
            }
            assertThat(journalRows()).isEqualTo(700);

            // When a seal archives them
            Map<String, Long> sealed = archiver.sealNow();

            // Then all of them are gone from the journal, and the archive ends at the last one
            assertThat(sealed).containsEntry(DB, 700L);
            assertThat(journalRows()).isZero();

            // And a row written after the seal stays until the next one archives it
            widgets.put("late", 1);
            assertThat(journalRows()).isEqualTo(1);
            archiver.sealNow();
            assertThat(journalRows()).isZero();
        }
    }

    @Test
    void afterARestartTheRowsACrashLeftArchivedButNotDeletedAreDeleted() throws Exception {
        // Given rows archived by one archiver, then put back as a crash between archiving and
        // deleting would have left them (the archive already holds them)
        try (JournalArchiver first = archiver()) {
            for (int i = 0; i < 300; i++) {
                widgets.put("w" + i, i);
            }
            first.sealNow();
        }
        restoreJournalRows(1, 300);
        assertThat(journalRows()).isEqualTo(300);

        // When a new archiver (a restart) seals one new row
        widgets.put("after-restart", 1);
        try (JournalArchiver restarted = archiver()) {
            Map<String, Long> sealed = restarted.sealNow();

            // Then it archived only the new row, and deleted the leftovers with it
            assertThat(sealed).containsEntry(DB, 301L);
            assertThat(journalRows()).isZero();
        }
    }

    private JournalArchiver archiver() {
        return JournalArchiver.builder(archive).database(DB, widgets.db).build();
    }

    private long journalRows() throws SQLException {
        try (Connection c = widgets.db.getConnection();
                Statement s = c.createStatement();
                ResultSet count = s.executeQuery("SELECT COUNT(*) FROM valerix_journal")) {
            count.next();
            return count.getLong(1);
        }
    }

    /** Puts journal rows {@code first..last} back, as placeholders (only their numbers matter here). */
    private void restoreJournalRows(long first, long last) throws SQLException {
        try (Connection c = widgets.db.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO valerix_journal (seq, committed_at, table_name, op, row_key, row_image)"
                                + " VALUES (?, CURRENT_TIMESTAMP, 'widget', 'DELETE', '[\"x\"]', NULL)")) {
            for (long seq = first; seq <= last; seq++) {
                insert.setLong(1, seq);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
