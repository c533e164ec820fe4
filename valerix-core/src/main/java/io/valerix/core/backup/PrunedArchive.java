package io.valerix.core.backup;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a retention run removed from one database's archive: base backups that no restore to a
 * kept instant starts from, and the segments (and segment list files) that only those needed.
 *
 * @param keepFrom every instant from here on stays restorable
 * @param oldestKept the base backup a restore to {@code keepFrom} starts from; null when the
 *     archive holds no base backup (then nothing is removed)
 * @param removedBaseBackups the base backups removed, oldest first
 * @param removedFiles every file removed: base backups, segments, list files
 * @param removedBytes their size as the manifest lists it (list files not counted)
 */
public record PrunedArchive(
        String database,
        Instant keepFrom,
        BaseBackupInfo oldestKept,
        List<BaseBackupInfo> removedBaseBackups,
        List<String> removedFiles,
        long removedBytes) {

    public PrunedArchive {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(keepFrom, "keepFrom");
        removedBaseBackups = List.copyOf(removedBaseBackups);
        removedFiles = List.copyOf(removedFiles);
    }
}
