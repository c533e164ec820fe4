package io.valerix.examples;

// snippet:start backup-imports
import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.BackupAdmin;
import io.valerix.core.backup.BackupReceipt;
import io.valerix.core.backup.BackupService;
import io.valerix.core.backup.DailyBackup;
import io.valerix.core.backup.JournalArchiver;
import io.valerix.core.backup.PointInTimeRestore;
import io.valerix.core.backup.RestorePoint;
import io.valerix.core.backup.RestoreResult;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.http.JsonServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
// snippet:end backup-imports

/**
 * Backup of a journaled database (see {@link JournaledOwnTables}): continuous archiving with its
 * admin routes, the day's one call to the off-site backup service, and a restore to a point in
 * time. docs/backup.md shows these regions; {@code ArchivingBackupAndRestoreTest} runs them on H2
 * with a real HTTP server as the backup service.
 */
public final class ArchivingBackupAndRestore {

    private ArchivingBackupAndRestore() {}

    /** Starts archiving the database {@code orders} into {@code archive} and adds the admin routes to {@code server}. */
    public static JournalArchiver startArchiving(
            ArchiveStore archive, DataSource dataSource, JsonServer.Builder server, String adminToken) {
        // snippet:start backup-archive
        JournalArchiver archiver = JournalArchiver.builder(archive) // ArchiveStore.directory(Path.of("archive"))
                .database("orders", dataSource) // one archiver per database, its manifest's only writer
                .sealInterval(Duration.ofSeconds(1)) // the RPO
                .build()
                .start();
        server.filter(BearerTokenFilter.admin(adminToken)); // the routes below are operators' only
        BackupAdmin.install(server, archiver); // /admin/backup/{base,seal,status,digest,prune}
        // snippet:end backup-archive
        return archiver;
    }

    /** Ships today's base backups to the backup service at {@code uri}: at most once per UTC day. */
    public static BackupReceipt dailyBackup(ArchiveStore archive, JournalArchiver archiver, URI uri) {
        // snippet:start backup-daily
        BackupReceipt receipt = DailyBackup.builder(archive, BackupService.http(uri, Duration.ofMinutes(10)))
                .build()
                .run(archiver::takeBaseBackups); // the day's one call, or BackupQuotaExceededException
        // snippet:end backup-daily
        return receipt;
    }

    /** Restores {@code orders} as it was at {@code instant} into the new directory {@code into}. */
    public static RestoreResult restore(ArchiveStore archive, Instant instant, Path into) {
        // snippet:start backup-restore
        RestoreResult restored = PointInTimeRestore.builder(archive)
                .database("orders")
                .to(RestorePoint.at(instant)) // or RestorePoint.latest()
                .into(into)
                .build()
                .run(); // a new directory: a restore never overwrites
        // snippet:end backup-restore
        return restored;
    }
}
