package io.valerix.core.backup;

import java.util.ArrayList;
import java.util.List;

/**
 * Takes base backups of some databases into their archive, locally: the engine's half of a base
 * backup, with no call to the backup service. {@link JournalArchiver} is the H2 implementation
 * ({@code BACKUP TO}); a PostgreSQL implementation runs {@code pg_basebackup} into the same
 * archive.
 *
 * <p>Two callers use it. A service, when it starts, calls {@link #takeMissingBaseBackups()}, so a
 * restore works from the first minute instead of from the first daily call. The daily call ({@link
 * DailyBackup#run}) ships what {@link #takeBaseBackups()} takes.
 *
 * <p>Implementations list each base backup they take in the database's manifest (so {@link
 * PointInTimeRestore} and retention see it) and are thread-safe.
 */
public interface BaseBackupTaker {

    /** The databases it backs up, in a stable order. */
    List<String> databases();

    /**
     * Whether the archive already lists a base backup of {@code database}, so a restore has a place
     * to start.
     *
     * @throws BackupException if the database is unknown here, or the archive cannot be read
     */
    boolean hasBaseBackup(String database);

    /**
     * Takes an online, consistent base backup of {@code database} into the archive and lists it.
     *
     * @throws BackupException if the database is unknown here, or the backup or the archive fails
     */
    BaseBackupInfo takeBaseBackup(String database);

    /** {@link #takeBaseBackup} of every database, in {@link #databases()} order. */
    default List<BaseBackupInfo> takeBaseBackups() {
        List<BaseBackupInfo> taken = new ArrayList<>();
        for (String database : databases()) {
            taken.add(takeBaseBackup(database));
        }
        return taken;
    }

    /**
     * Takes a base backup of every database whose archive lists none yet; the others are left
     * alone, so a restart costs nothing when the archive already reaches back.
     *
     * @return what was taken, possibly nothing
     */
    default List<BaseBackupInfo> takeMissingBaseBackups() {
        List<BaseBackupInfo> taken = new ArrayList<>();
        for (String database : databases()) {
            if (!hasBaseBackup(database)) {
                taken.add(takeBaseBackup(database));
            }
        }
        return taken;
    }
}
