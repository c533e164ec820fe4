package io.valerix.harness.backup;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.backup.ArchiveManifest;
import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.BackupException;
import io.valerix.core.backup.DatabaseDigest;
import io.valerix.core.backup.RestorePoint;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.jdbc.PostgresCluster;
import io.valerix.harness.services.ServiceArchiving;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The check behind {@code valerix backup verify}: an archive restored to a live database's journal
 * position must hold the same rows. H2 databases are restored as files and opened; a PostgreSQL
 * cluster is recovered by PostgreSQL itself and started on the copy. Stateless and thread-safe.
 */
public final class ArchiveVerification {

    private ArchiveVerification() {}

    /** Where the archive was compared, in words: the database (or cluster) and its journal position. */
    public static String position(ArchiveStore archive, DatabaseDigest digest) {
        boolean cluster = ServiceArchiving.archivedDatabases(archive).contains(ServiceArchiving.CLUSTER);
        return ServiceArchiving.describePosition(cluster ? ServiceArchiving.CLUSTER : digest.database(), digest.seq());
    }

    /**
     * Restores {@code archive} to exactly {@code live}'s journal position in a scratch directory (deleted
     * afterwards) and compares the restored tables with {@code live}.
     *
     * @return the differences in words; empty if every table matches
     * @throws BackupException the archive is missing or corrupt, or has no base backup old enough
     */
    public static List<String> differences(ArchiveStore archive, DatabaseDigest live) throws IOException {
        Path scratch = Files.createTempDirectory("valerix-verify-");
        try {
            Path into = scratch.resolve("restored");
            if (ArchiveManifest.read(archive, live.database()).isEmpty()
                    && ArchiveManifest.read(archive, ServiceArchiving.CLUSTER).isPresent()) {
                return compareCluster(archive, live, scratch, into);
            }
            ServiceArchiving.restore(archive, List.of(live.database()))
                    .to(RestorePoint.seq(live.seq()))
                    .into(into)
                    .build()
                    .run();
            Path directory = into.resolve(live.database());
            String h2Name;
            try (Stream<Path> files = Files.list(directory)) {
                h2Name = files.map(file -> file.getFileName().toString())
                        .filter(name -> name.endsWith(".mv.db"))
                        .map(name -> name.substring(0, name.length() - ".mv.db".length()))
                        .findFirst()
                        .orElseThrow(() ->
                                new BackupException("the restore of '" + live.database() + "' holds no database file"));
            }
            try (HikariDataSource restored = H2Database.open(directory, h2Name, 1)) {
                return DatabaseDigest.of(live.database(), restored).differences(live);
            }
        } finally {
            try (Stream<Path> paths = Files.walk(scratch)) {
                paths.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * A PostgreSQL cluster: PostgreSQL recovers the archive to exactly the digest's WAL position in
     * the scratch directory, a server is started on the copy, and its database is compared.
     */
    private static List<String> compareCluster(ArchiveStore archive, DatabaseDigest live, Path scratch, Path into)
            throws IOException {
        // The server runs as the postgres user when this is root; it must traverse the scratch directory.
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwx--x--x"));
        ServiceArchiving.restore(archive, List.of(ServiceArchiving.CLUSTER))
                .to(RestorePoint.seq(live.seq()))
                .into(into)
                .build()
                .run();
        try (PostgresCluster cluster = PostgresCluster.start(into.resolve(ServiceArchiving.CLUSTER));
                HikariDataSource restored = cluster.dataSource(live.database(), 1)) {
            return DatabaseDigest.of(live.database(), restored).differences(live);
        }
    }
}
