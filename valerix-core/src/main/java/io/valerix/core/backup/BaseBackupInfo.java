package io.valerix.core.backup;

import java.time.Instant;
import java.util.Objects;

/**
 * One base backup as the manifest lists it: a consistent copy of {@code database} that holds
 * every journaled write up to journal row {@code coversSeq} (stamped {@code coversAt}) and none
 * after it, taken at {@code takenAt}, stored under {@code name} with this SHA-256 (hex) and size.
 */
public record BaseBackupInfo(
        String database, String name, long coversSeq, Instant coversAt, Instant takenAt, String sha256, long bytes) {

    public BaseBackupInfo {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(coversAt, "coversAt");
        Objects.requireNonNull(takenAt, "takenAt");
        Objects.requireNonNull(sha256, "sha256");
        if (coversSeq < 0) {
            throw new IllegalArgumentException(
                    "base backup " + name + " must cover a journal position >= 0, but was " + coversSeq);
        }
    }
}
