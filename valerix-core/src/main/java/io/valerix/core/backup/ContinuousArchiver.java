package io.valerix.core.backup;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Continuous archiving into an {@link ArchiveStore}, whatever the engine: {@link JournalArchiver}
 * ships H2's change journal, {@link WalArchiver} ships PostgreSQL's own WAL. Both write the same
 * archive model (base backups and checksummed segments listed in one manifest per archived
 * database), so {@link DailyBackup}, {@link PointInTimeRestore}, verification and retention need
 * no engine-specific code. {@link BackupAdmin} puts one on a service's admin routes.
 *
 * <p>Implementations are thread-safe.
 */
public interface ContinuousArchiver extends AutoCloseable {

    /**
     * Takes an online base backup of every archived database into the archive and lists it in the
     * manifest, without a call to the backup service.
     *
     * @throws BackupException if a backup or the archive fails
     */
    List<BaseBackupInfo> takeBaseBackups();

    /**
     * Archives everything committed so far, now.
     *
     * @return per archived database, its archive position (journal row, or WAL position)
     * @throws BackupException if the database or the archive fails
     */
    Map<String, Long> sealNow();

    /**
     * Retention: removes from the archive the base backups and segments that no restore to an
     * instant within the last {@code keep} needs; see {@link ArchiveRetention}. Archiving goes on
     * meanwhile.
     *
     * @return what was removed, per archived database
     * @throws IllegalArgumentException if {@code keep} is negative
     * @throws BackupException if the archive cannot be read or written
     */
    List<PrunedArchive> prune(Duration keep);

    /** How archiving stands, per archived database. */
    List<JournalArchiver.DatabaseStatus> status();

    /** The databases {@link #digest} reads (the ones the service owns). */
    List<String> databases();

    /** A digest of {@code database} as it is now, at a position the archive can be restored to. */
    DatabaseDigest digest(String database);

    /** The archive it ships to. */
    ArchiveStore store();

    /** Stops archiving after a last graceful seal. */
    @Override
    void close();
}
