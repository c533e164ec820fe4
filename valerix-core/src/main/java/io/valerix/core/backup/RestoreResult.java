package io.valerix.core.backup;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link PointInTimeRestore} built: the directory (now in place) and, per database, the
 * base backup it started from and the journal row it reached.
 */
public record RestoreResult(Path directory, RestorePoint point, List<DatabaseRestore> databases) {

    public RestoreResult {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(point, "point");
        databases = List.copyOf(databases);
    }

    /**
     * One database: restored into {@code directory}, from {@code baseBackup}, with {@code
     * changesApplied} journal rows on top, up to row {@code restoredSeq} stamped {@code restoredAt}.
     * {@code archiveEndsAt} is the last row the archive held, so a restore to a time after it
     * shows how far the archive actually reached.
     */
    public record DatabaseRestore(
            String database,
            Path directory,
            BaseBackupInfo baseBackup,
            long changesApplied,
            long restoredSeq,
            Instant restoredAt,
            long archiveEndsAt) {}
}
