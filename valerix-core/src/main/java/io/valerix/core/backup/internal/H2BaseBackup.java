package io.valerix.core.backup.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.backup.BackupException;
import io.valerix.core.jdbc.H2Database;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import javax.sql.DataSource;

/**
 * An online base backup of an H2 database: {@code BACKUP TO} writes a zip of the MVStore file as
 * of one committed version while writers go on (transactions open at that moment are in it as
 * undo logs and are rolled back when the copy is opened). The journal counter row inside the copy
 * therefore says exactly which journal rows it holds, so the backup is opened once, here, to read
 * it; that also proves the copy opens.
 */
public final class H2BaseBackup {

    /** The zip, and the journal position it covers. */
    public record Taken(Path zip, String h2Name, long coversSeq, Instant coversAt) {}

    private H2BaseBackup() {}

    /**
     * Backs up the database of {@code dataSource} into {@code workDirectory}/{@code database}.zip.
     *
     * @throws BackupException if the engine is not H2, the journal is not installed, or the copy
     *     does not open
     */
    public static Taken take(String database, DataSource dataSource, Path workDirectory) throws IOException {
        Path zip = workDirectory.resolve(database + ".zip");
        try (Connection connection = dataSource.getConnection()) {
            if (!Engines.isH2(connection)) {
                throw new BackupException("database '" + database + "' runs on "
                        + connection.getMetaData().getDatabaseProductName()
                        + "; base backups are implemented for H2 only (on PostgreSQL take one with pg_basebackup and record its journal"
                        + " position; journal replay itself is engine-neutral)");
            }
            try (Statement backup = connection.createStatement()) {
                backup.execute("BACKUP TO '" + zip.toAbsolutePath().toString().replace("'", "''") + "'");
            }
        } catch (SQLException e) {
            throw new BackupException("backing up database '" + database + "' failed: " + e.getMessage(), e);
        }
        Path probe = workDirectory.resolve("probe");
        List<Path> files;
        try (InputStream in = Files.newInputStream(zip)) {
            files = Zips.extract(in, probe);
        }
        String h2Name = h2Name(database, files);
        try (HikariDataSource copy = H2Database.open(probe, h2Name, 1);
                Connection connection = copy.getConnection();
                PreparedStatement counter = connection.prepareStatement(
                        "SELECT last_seq, last_at FROM valerix_journal_counter WHERE id = 1");
                ResultSet row = counter.executeQuery()) {
            if (!row.next()) {
                throw new BackupException("the backup of database '" + database + "' has no journal counter row");
            }
            return new Taken(
                    zip,
                    h2Name,
                    row.getLong(1),
                    row.getObject(2, OffsetDateTime.class).toInstant());
        } catch (SQLException e) {
            throw new BackupException(
                    "the backup of database '" + database + "' does not open, or has no change journal"
                            + " (base backups need one to know what they cover): " + e.getMessage(),
                    e);
        } finally {
            Trees.delete(probe);
        }
    }

    /** The H2 database name of the one {@code <name>.mv.db} file in a backup. */
    public static String h2Name(String database, List<Path> files) {
        List<String> names = files.stream()
                .map(file -> file.getFileName().toString())
                .filter(name -> name.endsWith(".mv.db"))
                .map(name -> name.substring(0, name.length() - ".mv.db".length()))
                .toList();
        if (names.size() != 1) {
            throw new BackupException(
                    "a base backup of database '" + database + "' must hold one H2 .mv.db file, but held " + names);
        }
        return names.getFirst();
    }
}
