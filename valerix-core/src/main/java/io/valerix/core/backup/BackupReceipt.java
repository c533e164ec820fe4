package io.valerix.core.backup;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of the day's call: the backup service took the bundle (SHA-256, size) holding these
 * base backups, and calls it {@code serviceId}.
 */
public record BackupReceipt(
        LocalDate day,
        String serviceId,
        String bundleSha256,
        long bundleBytes,
        List<BaseBackupInfo> baseBackups,
        Instant completedAt) {

    public BackupReceipt {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(bundleSha256, "bundleSha256");
        Objects.requireNonNull(completedAt, "completedAt");
        baseBackups = List.copyOf(baseBackups);
    }
}
