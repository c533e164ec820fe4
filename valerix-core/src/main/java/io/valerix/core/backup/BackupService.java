package io.valerix.core.backup;

import io.valerix.core.backup.internal.HttpBackupService;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The off-site backup service that accepts one call per day: the service provider interface
 * behind {@link DailyBackup}. {@link #http(URI, Duration)} speaks the protocol of the harness's
 * stand-in: {@code POST} of the bundle as {@code application/zip}, 2xx with {@code {"id": ...}}
 * on success, 429 once the day's call is spent.
 *
 * <p>Implementations are thread-safe. {@link DailyBackup} makes at most one call per UTC day
 * through them; they must not retry on their own.
 */
public interface BackupService {

    /** The day's bundle: a zip file of base backups and manifests, its UTC day, SHA-256 and size. */
    record Bundle(Path file, LocalDate day, String sha256, long bytes) {
        public Bundle {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(sha256, "sha256");
        }
    }

    /**
     * Uploads the bundle: the one call.
     *
     * @return the service's identifier for what it stored
     * @throws BackupQuotaExceededException if the service says the day's call is spent
     * @throws BackupException if it refuses the bundle for another reason
     * @throws IOException if the call failed in transport (whether the service counted it is unknown)
     */
    String upload(Bundle bundle) throws IOException;

    /** Where the service is, for messages. */
    String location();

    /**
     * The service at {@code endpoint} over HTTP: one {@code POST} per upload with headers {@code
     * Valerix-Backup-Day} and {@code Valerix-Backup-Sha256}, given at most {@code timeout}.
     */
    static BackupService http(URI endpoint, Duration timeout) {
        return new HttpBackupService(endpoint, timeout);
    }
}
