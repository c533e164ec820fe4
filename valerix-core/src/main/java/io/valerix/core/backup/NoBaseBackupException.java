package io.valerix.core.backup;

import java.util.Objects;

/**
 * A restore cannot start: the archive of {@link #database()} holds no base backup at all, or none
 * that is not past the {@link RestorePoint}. Nothing is damaged; the remedy is a later restore
 * point, or a base backup taken before the point was (which cannot be made afterwards). Kept apart
 * from {@link ArchiveDamagedException} so that a caller (and the CLI's exit code) can tell "the
 * archive is broken" from "the archive does not reach back that far".
 */
public final class NoBaseBackupException extends BackupException {

    private final String database;

    public NoBaseBackupException(String database, String message) {
        super(message);
        this.database = Objects.requireNonNull(database, "database");
    }

    /** The database that has no base backup old enough. */
    public String database() {
        return database;
    }
}
