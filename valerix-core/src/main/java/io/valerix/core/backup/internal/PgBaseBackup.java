package io.valerix.core.backup.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.core.backup.BackupException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * An online base backup of a whole PostgreSQL cluster with {@code pg_basebackup}: plain format,
 * the WAL it needs streamed alongside ({@code -X stream}, so the copy is consistent on its own),
 * a fast checkpoint, and PostgreSQL's {@code backup_manifest} with SHA-256 per file. The result is
 * one zip (the data directory under {@code data/}, plus {@value #DESCRIPTION}) so that it is one
 * archive file with one checksum, like H2's.
 */
public final class PgBaseBackup {

    /** The zip entry that says what the backup covers; read back by {@link PgRestorer}. */
    public static final String DESCRIPTION = "valerix-pgbase.json";
    /** The suffix that marks a PostgreSQL base backup in the manifest. */
    public static final String SUFFIX = ".pgbase.zip";

    /**
     * What a base backup holds: WAL {@code startLsn} to {@code endLsn} on {@code timeline} makes it
     * consistent; the cluster's WAL segments are {@code walSegmentBytes} long.
     */
    public record Description(int format, int timeline, long startLsn, long endLsn, long walSegmentBytes) {}

    /** The zip and what it covers. */
    public record Taken(Path zip, Description description) {}

    private PgBaseBackup() {}

    /**
     * Backs up the cluster at {@code host:port} into {@code workDirectory}/base.pgbase.zip.
     *
     * @throws BackupException if pg_basebackup fails (its output is in the message)
     */
    public static Taken take(
            PgTools tools,
            String host,
            int port,
            String user,
            String password,
            long walSegmentBytes,
            Path workDirectory)
            throws IOException {
        Path data = workDirectory.resolve("data");
        tools.client(
                List.of(
                        tools.tool("pg_basebackup"),
                        "-D",
                        data.toString(),
                        "-h",
                        host,
                        "-p",
                        Integer.toString(port),
                        "-U",
                        user,
                        "--no-password",
                        "-Fp",
                        "-X",
                        "stream",
                        "-c",
                        "fast",
                        "--manifest-checksums=SHA256",
                        "--label=valerix"),
                password,
                Duration.ofHours(6));
        JsonNode manifest;
        try (InputStream in = Files.newInputStream(data.resolve("backup_manifest"))) {
            manifest = ArchiveJson.MAPPER.readTree(in);
        }
        JsonNode ranges = manifest.path("WAL-Ranges");
        if (!ranges.isArray() || ranges.isEmpty()) {
            throw new BackupException("pg_basebackup wrote a backup_manifest without WAL-Ranges");
        }
        JsonNode last = ranges.get(ranges.size() - 1);
        Description description = new Description(
                1,
                last.path("Timeline").asInt(),
                Lsn.parse(ranges.get(0).path("Start-LSN").asText()),
                Lsn.parse(last.path("End-LSN").asText()),
                walSegmentBytes);
        Path zip = workDirectory.resolve("base" + SUFFIX);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            // Speed over size: a base backup is taken while the service runs, and its WAL is mostly zeros.
            out.setLevel(Deflater.BEST_SPEED);
            out.putNextEntry(new ZipEntry(DESCRIPTION));
            out.write(ArchiveJson.MAPPER.writeValueAsBytes(description));
            out.closeEntry();
            Zips.pack(data, "data/", out);
        }
        return new Taken(zip, description);
    }

    /** Reads the description of an unpacked base backup in {@code directory}. */
    public static Description describe(Path directory) throws IOException {
        try (InputStream in = Files.newInputStream(directory.resolve(DESCRIPTION))) {
            return ArchiveJson.MAPPER.readValue(in, Description.class);
        }
    }
}
