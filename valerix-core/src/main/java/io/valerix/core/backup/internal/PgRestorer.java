package io.valerix.core.backup.internal;

import io.valerix.core.backup.ArchiveDamagedException;
import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.BackupException;
import io.valerix.core.backup.BaseBackupInfo;
import io.valerix.core.backup.RestorePoint;
import io.valerix.core.backup.RestoreResult;
import io.valerix.core.backup.SegmentInfo;
import io.valerix.core.jdbc.PostgresBinaries;
import io.valerix.core.jdbc.PostgresCluster;
import io.valerix.core.time.NanoClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Point-in-time recovery of a PostgreSQL cluster from the archive, done by PostgreSQL itself: the
 * base backup (checked against the manifest's SHA-256, then against its own {@code backup_manifest}
 * with {@code pg_verifybackup}), the archived WAL chunks written back into whole segment files in
 * {@code pg_wal}, and a server started in targeted recovery ({@code recovery_target_time} or
 * {@code recovery_target_lsn}, inclusive) that promotes itself when it gets there.
 *
 * <p>While it recovers the server listens on a private unix socket only, with trust
 * authentication, so that the restore can give the superuser a fresh password (the old one never
 * leaves the original machine; the archive holds only its SCRAM verifier). The result is laid out
 * as {@link PostgresCluster} lays out a private cluster: {@code cluster/data} plus {@code
 * superuser-password}, so {@code valerix up --db postgres --data-dir} runs it.
 */
final class PgRestorer {

    private static final Logger log = LoggerFactory.getLogger(PgRestorer.class);
    private static final String NOT_REACHED = "recovery ended before configured recovery target was reached";
    private static final Duration RECOVERY_TIMEOUT = Duration.ofHours(6);
    private static final int SOCKET_PORT = 5432;
    /** Far more than a commit's stamp can precede its WAL flush. */
    private static final Duration STAMP_MARGIN = Duration.ofMinutes(5);
    /** PostgreSQL's own timestamp form; it refuses ISO-8601's 'T' in this setting. */
    private static final DateTimeFormatter TARGET_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSxxx");

    private PgRestorer() {}

    static RestoreResult.DatabaseRestore restore(
            ArchiveStore store, Manifest manifest, BaseBackupInfo base, RestorePoint point, Path directory)
            throws IOException {
        String name = manifest.database;
        PgTools tools = new PgTools(PostgresBinaries.require());
        Path unpacked = directory.resolve(".base");
        DatabaseRestorer.fetchBase(store, base, unpacked);
        PgBaseBackup.Description description = PgBaseBackup.describe(unpacked);
        Path clusterDir = directory.resolve("cluster");
        Files.createDirectories(clusterDir);
        Path data = clusterDir.resolve("data");
        Files.move(unpacked.resolve("data"), data);
        Trees.delete(unpacked);
        // PostgreSQL's own check of every file against the backup_manifest, and of the WAL it names.
        tools.client(List.of(tools.tool("pg_verifybackup"), "--quiet", data.toString()), null, Duration.ofHours(1));

        List<SegmentInfo> chunks = chunksFor(store, manifest, base, description, point);
        long archiveEnd = manifest.hasSegments() ? manifest.lastSeq() + 1 : description.endLsn();
        if (point instanceof RestorePoint.Seq(long wanted) && wanted > Math.max(archiveEnd, description.endLsn())) {
            throw new BackupException("the archive of '" + name + "' ends at WAL position " + Lsn.format(archiveEnd)
                    + "; " + Lsn.format(wanted) + " is not archived (yet)");
        }
        for (SegmentInfo chunk : chunks) {
            writeBack(store, chunk, data.resolve("pg_wal"), description.walSegmentBytes());
        }

        Path sockets = Files.createTempDirectory("vxpgr");
        Path hba = clusterDir.resolve("restore-hba.conf");
        Files.writeString(hba, "local all all trust\n", StandardCharsets.UTF_8);
        Files.writeString(data.resolve("recovery.signal"), "", StandardCharsets.UTF_8);
        tools.handToServer(clusterDir, data, directory.getParent());
        tools.handToServer(sockets, sockets, sockets);
        Path logFile = clusterDir.resolve("recovery.log");
        Path retryLog = clusterDir.resolve("recovery-to-end.log");
        String lsn;
        String replayedAt;
        try {
            String target = target(point);
            start(tools, data, logFile, sockets, hba, target);
            if (!awaitPromotion(tools, sockets, data, logFile)) {
                // The WAL ended before a change past the target: nothing after it was archived, so
                // recovering to the end is recovering to the target.
                log.info(
                        "restore of '{}': no archived change after {}; recovering to the end of the archive",
                        name,
                        point);
                start(tools, data, retryLog, sockets, hba, "");
                if (!awaitPromotion(tools, sockets, data, retryLog)) {
                    throw new BackupException("PostgreSQL did not finish recovering '" + name + "': " + tail(retryLog));
                }
            }
            String password = HexFormat.of().formatHex(secret());
            String[] position = sql(
                            tools,
                            sockets,
                            "SELECT pg_last_wal_replay_lsn()::text || ' ' || coalesce("
                                    + "to_char(pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '-')")
                    .split(" ");
            lsn = position[0];
            replayedAt = position[1];
            sql(tools, sockets, "ALTER ROLE " + PostgresCluster.SUPERUSER + " PASSWORD '" + password + "'");
            tools.server(
                    List.of(tools.tool("pg_ctl"), "-D", data.toString(), "-m", "fast", "-w", "-t", "120", "stop"),
                    Duration.ofMinutes(3));
            Path passwordFile = directory.resolve("superuser-password");
            Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        } catch (RuntimeException | IOException e) {
            tools.serverExitCode(
                    List.of(tools.tool("pg_ctl"), "-D", data.toString(), "-m", "immediate", "-w", "stop"),
                    Duration.ofMinutes(1));
            throw e;
        } finally {
            Files.deleteIfExists(hba);
            Trees.delete(sockets);
        }
        Instant restoredAt = replayedAt.equals("-") ? base.coversAt() : Instant.parse(replayedAt);
        log.info(
                "restored '{}' to WAL position {} ({}): base {} + {} WAL chunks",
                name,
                lsn,
                restoredAt,
                base.name(),
                chunks.size());
        return new RestoreResult.DatabaseRestore(
                name, directory, base, chunks.size(), Lsn.parse(lsn), restoredAt, archiveEnd - 1);
    }

    /**
     * Appends the settings a restored cluster keeps to its {@code postgresql.conf}: the socket in its
     * final place (the one of the original cluster is elsewhere). Call once it is in place.
     */
    static void settle(Path directory) throws IOException {
        Path cluster = directory.resolve("cluster");
        String socket = cluster.toString().length() <= 80 ? cluster.toString() : "/tmp";
        Files.writeString(
                cluster.resolve("data").resolve("postgresql.conf"),
                "\n# valerix restore: this cluster's own socket directory\nunix_socket_directories = '"
                        + socket.replace("'", "''") + "'\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
    }

    /** The chunks after the base, checked to follow on without a hole, up to the point when that is known. */
    private static List<SegmentInfo> chunksFor(
            ArchiveStore store,
            Manifest manifest,
            BaseBackupInfo base,
            PgBaseBackup.Description description,
            RestorePoint point) {
        List<SegmentInfo> needed = new ArrayList<>();
        long next = description.endLsn();
        for (SegmentInfo chunk : manifest.segmentsAfter(store, description.endLsn() - 1)) {
            if (chunk.firstSeq() > next) {
                throw new ArchiveDamagedException(
                        chunk.name(),
                        "the archive of '" + manifest.database + "' has no WAL from "
                                + Lsn.format(next) + " to " + Lsn.format(chunk.firstSeq())
                                + " (the next chunk listed is " + chunk.name()
                                + "); recovering past " + Lsn.format(next) + " is impossible");
            }
            // A chunk starts where the previous one's proven time ends: everything acknowledged before
            // that time is in earlier chunks. PostgreSQL stamps a commit a little before its flush, so
            // only chunks starting well after the target time are left out.
            if (point instanceof RestorePoint.At(Instant instant)
                    && chunk.firstAt().isAfter(instant.plus(STAMP_MARGIN))
                    && !needed.isEmpty()) {
                break;
            }
            if (point instanceof RestorePoint.Seq(long wanted) && chunk.firstSeq() > wanted) {
                break;
            }
            needed.add(chunk);
            next = chunk.lastSeq() + 1;
        }
        return needed;
    }

    private static void writeBack(ArchiveStore store, SegmentInfo chunk, Path walDirectory, long segmentBytes)
            throws IOException {
        WalShipper.Chunk where = WalShipper.chunkOf(chunk.name())
                .orElseThrow(() -> new ArchiveDamagedException(
                        chunk.name(), "WAL chunk name " + chunk.name() + " does not parse"));
        byte[] bytes;
        try (InputStream in =
                new GZIPInputStream(new ByteArrayInputStream(DatabaseRestorer.fetchSegment(store, chunk)))) {
            bytes = in.readAllBytes();
        } catch (java.util.zip.ZipException e) {
            throw new ArchiveDamagedException(
                    chunk.name(), "WAL chunk " + chunk.name() + " does not unpack: " + e.getMessage(), e);
        }
        if (bytes.length != where.end() - where.start()) {
            throw new ArchiveDamagedException(
                    chunk.name(),
                    "WAL chunk " + chunk.name() + " holds " + bytes.length + " bytes, not "
                            + (where.end() - where.start()));
        }
        long segno = Long.divideUnsigned(where.start(), segmentBytes);
        if (Long.divideUnsigned(where.end() - 1, segmentBytes) != segno) {
            throw new ArchiveDamagedException(
                    chunk.name(), "WAL chunk " + chunk.name() + " crosses a segment boundary");
        }
        Path file = walDirectory.resolve(Lsn.fileName(where.timeline(), segno, segmentBytes));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (channel.size() < segmentBytes) {
                // A segment file is always whole; the server reads zeros past the last record as the end.
                channel.write(ByteBuffer.allocate(1), segmentBytes - 1);
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long position = where.start() - segno * segmentBytes;
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
        }
    }

    private static String target(RestorePoint point) {
        return switch (point) {
            case RestorePoint.At(Instant instant) ->
                // PostgreSQL stamps commits in microseconds: at or before t is at or before t cut to microseconds.
                " -c \"recovery_target_time="
                        + TARGET_TIME.format(
                                OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC))
                        + "\""
                        + " -c recovery_target_inclusive=on";
            case RestorePoint.Seq(long seq) ->
                " -c recovery_target_lsn=" + Lsn.format(seq) + " -c recovery_target_inclusive=on";
            default -> "";
        };
    }

    private static void start(PgTools tools, Path data, Path logFile, Path sockets, Path hba, String target) {
        String options = "-c listen_addresses= -c port=" + SOCKET_PORT + " -c unix_socket_directories=" + sockets
                + " -c hba_file=" + hba
                + " -c archive_mode=off -c restore_command=false -c recovery_target_action=promote" + target;
        // Not -w: a recovery that stops short makes the server exit, which awaitPromotion sees.
        tools.server(
                List.of(
                        tools.tool("pg_ctl"),
                        "-D",
                        data.toString(),
                        "-l",
                        logFile.toString(),
                        "-W",
                        "-o",
                        options,
                        "start"),
                Duration.ofMinutes(2));
    }

    /** True once the server runs as a primary; false if it stopped because the target was not reached. */
    private static boolean awaitPromotion(PgTools tools, Path sockets, Path data, Path logFile) {
        NanoClock clock = NanoClock.system();
        long deadline = clock.nanoTime() + RECOVERY_TIMEOUT.toNanos();
        while (clock.nanoTime() < deadline) {
            try {
                if ("f".equals(sql(tools, sockets, "SELECT pg_is_in_recovery()"))) {
                    return true;
                }
            } catch (BackupException notYet) {
                // Starting up, or stopped: pg_ctl status tells which.
                if (tools.serverExitCode(
                                List.of(tools.tool("pg_ctl"), "-D", data.toString(), "status"), Duration.ofSeconds(30))
                        == 3) {
                    String log = tail(logFile);
                    if (log.contains(NOT_REACHED)) {
                        return false;
                    }
                    if (log.contains("FATAL")
                            || log.contains("PANIC")
                            || log.contains("database system is shut down")) {
                        throw new BackupException("PostgreSQL stopped while recovering: " + log);
                    }
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackupException("interrupted while PostgreSQL recovers", e);
            }
        }
        throw new BackupException(
                "PostgreSQL did not finish recovering within " + RECOVERY_TIMEOUT + ": " + tail(logFile));
    }

    private static String sql(PgTools tools, Path sockets, String statement) {
        return tools.client(
                        List.of(
                                tools.tool("psql"),
                                "-h",
                                sockets.toString(),
                                "-p",
                                Integer.toString(SOCKET_PORT),
                                "-U",
                                PostgresCluster.SUPERUSER,
                                "-d",
                                "postgres",
                                "-X",
                                "-A",
                                "-t",
                                "-v",
                                "ON_ERROR_STOP=1",
                                "-c",
                                statement),
                        null,
                        Duration.ofMinutes(1))
                .strip();
    }

    private static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static byte[] secret() {
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        return secret;
    }
}
