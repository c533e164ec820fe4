package io.valerix.examples;

// snippet:start s3-imports
import io.valerix.backup.s3.S3ArchiveStore;
import io.valerix.core.backup.JournalArchiver;
import java.net.URI;
import javax.sql.DataSource;
// snippet:end s3-imports

/**
 * Continuous archiving into an S3 bucket (module valerix-backup-s3). docs/backup.md shows this
 * region. CI compiles it but does not run it: an S3 server is a separate process (valerix-backup-s3's
 * {@code S3ArchivingTest} runs the same calls against S3Mock), too heavy for the examples.
 */
public final class ArchivingToS3 {

    private ArchivingToS3() {}

    /** Archives {@code orders} into {@code bucket} (for example s3://backups/valerix) while {@code work} runs. */
    public static void archiveWhile(URI bucket, URI endpoint, DataSource dataSource, Runnable work) {
        // snippet:start s3-archive
        try (S3ArchiveStore archive = S3ArchiveStore.builder(bucket) // s3://backups/valerix
                        .endpoint(endpoint)
                        .pathStyle(true) // S3-compatible servers only
                        .build(); // credentials: the default chain
                JournalArchiver archiver = JournalArchiver.builder(archive)
                        .database("orders", dataSource)
                        .build()
                        .start()) {
            work.run(); // the service takes orders; the archiver closes first and ships what is left
        }
        // snippet:end s3-archive
    }
}
