package io.valerix.core.backup.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.backup.ArchiveDamagedException;
import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.BackupException;
import io.valerix.core.backup.BaseBackupInfo;
import io.valerix.core.backup.NoBaseBackupException;
import io.valerix.core.backup.RestorePoint;
import io.valerix.core.backup.RestoreResult;
import io.valerix.core.backup.SegmentInfo;
import io.valerix.core.jdbc.H2Database;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds one database in a directory: the newest base backup that is not past the restore
 * point, then the archived journal rows after it, up to the point. Every file is checked against
 * the manifest's SHA-256 before use, and the rows must follow on without a hole, so a damaged or
 * missing segment stops the restore with its name instead of leaving a partial database.
 */
public final class DatabaseRestorer {

    private static final Logger log = LoggerFactory.getLogger(DatabaseRestorer.class);

    /** After the replay, raise {@code sequence} past the largest {@code column} of {@code table}. */
    public record SequenceFloor(String sequence, String table, String column) {}

    private DatabaseRestorer() {}

    public static RestoreResult.DatabaseRestore restore(
            ArchiveStore store, String database, RestorePoint point, Path directory, List<SequenceFloor> floors)
            throws IOException {
        Manifest manifest = Manifest.read(store, database)
                .orElseThrow(() -> new ArchiveDamagedException(
                        Manifest.nameOf(database),
                        "the archive in " + store.location() + " has no manifest for database '" + database + "' ("
                                + Manifest.nameOf(database) + ")"));
        BaseBackupInfo base = chooseBase(manifest, database, point);
        if (base.name().endsWith(PgBaseBackup.SUFFIX)) {
            // The same archive model on PostgreSQL: its own base backup and WAL, recovered by the server.
            return PgRestorer.restore(store, manifest, base, point, directory);
        }
        List<Path> files = fetchBase(store, base, directory);
        String h2Name = H2BaseBackup.h2Name(database, files);
        long lastSeq = base.coversSeq();
        Instant lastAt = base.coversAt();
        long applied = 0;
        try (HikariDataSource restored = H2Database.open(directory, h2Name, 1);
                Connection connection = restored.getConnection()) {
            connection.setAutoCommit(false);
            try (JournalReplayer replayer = new JournalReplayer(connection)) {
                boolean reached = false;
                for (SegmentInfo segment : manifest.segmentsAfter(store, base.coversSeq())) {
                    if (reached || point.isBeyond(Math.max(segment.firstSeq(), lastSeq + 1), segment.firstAt())) {
                        break;
                    }
                    if (segment.firstSeq() > lastSeq + 1) {
                        String missing = database + " rows " + (lastSeq + 1) + ".." + (segment.firstSeq() - 1);
                        throw new ArchiveDamagedException(
                                missing,
                                "the archive of database '" + database + "' has no segment with journal rows "
                                        + (lastSeq + 1) + ".." + (segment.firstSeq() - 1) + " (the next one listed is "
                                        + segment.name()
                                        + "); restoring past row " + lastSeq + " is impossible");
                    }
                    for (JournalEntry entry : SegmentCodec.read(fetchSegment(store, segment), database, segment)) {
                        if (entry.seq() <= lastSeq) {
                            continue;
                        }
                        if (point.isBeyond(entry.seq(), entry.at())) {
                            reached = true;
                            break;
                        }
                        try {
                            replayer.apply(entry);
                        } catch (IllegalArgumentException | SQLException e) {
                            throw new BackupException(
                                    "applying journal row " + entry.seq() + " of database '" + database + "' from "
                                            + segment.name() + " failed: " + e.getMessage(),
                                    e);
                        }
                        lastSeq = entry.seq();
                        lastAt = entry.at();
                        applied++;
                    }
                    connection.commit();
                }
            }
            if (point instanceof RestorePoint.Seq(long wanted) && lastSeq < wanted) {
                throw new BackupException("the archive of database '" + database + "' ends at journal row " + lastSeq
                        + "; row " + wanted + " is not archived (yet)");
            }
            finish(connection, lastSeq, lastAt, floors);
        } catch (SQLException e) {
            throw new BackupException("restoring database '" + database + "' failed: " + e.getMessage(), e);
        }
        log.info(
                "restored '{}' to journal row {} ({}): base {} + {} changes",
                database,
                lastSeq,
                lastAt,
                base.name(),
                applied);
        return new RestoreResult.DatabaseRestore(
                database, directory, base, applied, lastSeq, lastAt, manifest.lastSeq());
    }

    /**
     * Finishes a restored database once it is in its final place: a PostgreSQL cluster learns its
     * new socket directory. Does nothing for H2.
     */
    public static void settle(Path directory) throws IOException {
        if (Files.exists(directory.resolve("cluster").resolve("data").resolve("PG_VERSION"))) {
            PgRestorer.settle(directory);
        }
    }

    static BaseBackupInfo chooseBase(Manifest manifest, String database, RestorePoint point) {
        Optional<BaseBackupInfo> newest = manifest.baseBackups.stream()
                .filter(base -> !point.isBeyond(base.coversSeq(), base.coversAt()))
                .max(Comparator.comparingLong(BaseBackupInfo::coversSeq));
        if (newest.isPresent()) {
            return newest.get();
        }
        if (manifest.baseBackups.isEmpty()) {
            throw new NoBaseBackupException(
                    database,
                    "the archive has no base backup of database '" + database
                            + "'; services take one when they start, or take one with 'valerix backup'");
        }
        BaseBackupInfo oldest = manifest.baseBackups.stream()
                .min(Comparator.comparingLong(BaseBackupInfo::coversSeq))
                .orElseThrow();
        throw new NoBaseBackupException(
                database,
                "no base backup of database '" + database + "' is old enough for " + point + ": the oldest, "
                        + oldest.name() + ", already holds changes up to " + oldest.coversAt() + " (journal row "
                        + oldest.coversSeq() + ")");
    }

    static List<Path> fetchBase(ArchiveStore store, BaseBackupInfo base, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path zip = directory.resolve(".base.zip");
        MessageDigest sha = Sha256.newDigest();
        try (InputStream in = new DigestInputStream(store.open(base.name()), sha);
                OutputStream out = Files.newOutputStream(zip)) {
            in.transferTo(out);
        } catch (NoSuchFileException e) {
            throw new ArchiveDamagedException(
                    base.name(),
                    "base backup " + base.name() + " is listed in the manifest but missing from " + store.location());
        }
        String actual = Sha256.hex(sha);
        if (!actual.equals(base.sha256())) {
            throw new ArchiveDamagedException(
                    base.name(),
                    "base backup " + base.name() + " is corrupt: its SHA-256 is " + actual + " but the manifest says "
                            + base.sha256());
        }
        try (InputStream in = Files.newInputStream(zip)) {
            return Zips.extract(in, directory);
        } catch (IOException e) {
            throw new ArchiveDamagedException(
                    base.name(), "base backup " + base.name() + " does not unpack: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(zip);
        }
    }

    static byte[] fetchSegment(ArchiveStore store, SegmentInfo segment) throws IOException {
        byte[] content;
        try (InputStream in = store.open(segment.name())) {
            content = in.readAllBytes();
        } catch (NoSuchFileException e) {
            throw new ArchiveDamagedException(
                    segment.name(),
                    "segment " + segment.name() + " is listed in the manifest but missing from " + store.location());
        }
        String actual = Sha256.of(content);
        if (!actual.equals(segment.sha256())) {
            throw new ArchiveDamagedException(
                    segment.name(),
                    "segment " + segment.name() + " is corrupt: its SHA-256 is " + actual + " but the manifest says "
                            + segment.sha256());
        }
        return content;
    }

    /**
     * Leaves the restored database ready to run: the counter continues after the last row restored,
     * the journal table is empty (its rows are in the base or the archive already), and sequences
     * that must stay ahead of stored values are.
     */
    private static void finish(Connection connection, long lastSeq, Instant lastAt, List<SequenceFloor> floors)
            throws SQLException {
        try (PreparedStatement counter = connection.prepareStatement(
                "UPDATE valerix_journal_counter SET last_seq = ?, last_at = ? WHERE id = 1")) {
            counter.setLong(1, lastSeq);
            counter.setObject(2, OffsetDateTime.ofInstant(lastAt, ZoneOffset.UTC));
            counter.executeUpdate();
        }
        try (Statement clear = connection.createStatement()) {
            clear.executeUpdate("DELETE FROM valerix_journal");
        }
        for (SequenceFloor floor : floors) {
            raise(connection, floor);
        }
        connection.commit();
    }

    private static void raise(Connection connection, SequenceFloor floor) throws SQLException {
        long max;
        try (Statement query = connection.createStatement();
                ResultSet row = query.executeQuery("SELECT MAX(" + floor.column() + ") FROM " + floor.table())) {
            row.next();
            max = row.getLong(1);
            if (row.wasNull()) {
                return;
            }
        }
        long next;
        try (Statement query = connection.createStatement();
                ResultSet row = query.executeQuery("SELECT nextval('" + floor.sequence() + "')")) {
            row.next();
            next = row.getLong(1);
        }
        if (next <= max) {
            try (Statement alter = connection.createStatement()) {
                alter.execute("ALTER SEQUENCE " + floor.sequence() + " RESTART WITH " + (max + 1));
            }
        }
    }
}
