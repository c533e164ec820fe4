package io.valerix.core.backup.internal;

import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.BackupException;
import io.valerix.core.backup.SegmentInfo;
import io.valerix.core.time.NanoClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Ships a cluster's WAL from {@code pg_receivewal}'s spool to the archive in chunks: every call
 * stores the bytes received since the last one (cut at segment ends) as one gzip file per
 * segment, {@code <name>/wal/<timeline>-<start lsn>-<end lsn>.wal.gz}, with its SHA-256, listed in
 * the same manifest as H2's journal segments. A chunk's "sequence numbers" are its LSN range
 * (first byte to last byte), so chunks follow on without holes exactly as journal segments do.
 *
 * <p><b>Time.</b> Each call first reads the server's flush position and the time; once the
 * receiver has that position, everything committed before that time is archived. A chunk's
 * {@code lastAt} is the latest such time its end covers, so the manifest's last time is a true
 * recovery point, never an optimistic one.
 *
 * <p>Crash-safe by ordering, like {@link DatabaseShipper}: a chunk is stored before the manifest
 * names it, and spool files are deleted only once the manifest names all their bytes. Its manifest
 * has one writer ({@link ManifestWriter}), whose lock serializes shipping, base-backup records and
 * retention.
 */
public final class WalShipper {

    private static final Pattern CHUNK =
            Pattern.compile(".*/wal/([0-9a-f]{8})-([0-9a-f]{16})-([0-9a-f]{16})\\.wal\\.gz");
    private static final Pattern WAL_FILE = Pattern.compile("([0-9A-F]{24})(\\.partial)?");
    private static final String FLUSH = "SELECT pg_current_wal_flush_lsn()::text";
    private static final String RECEIVED = "SELECT restart_lsn::text FROM pg_replication_slots WHERE slot_name = ?";

    private static final Duration CATCH_UP = Duration.ofMillis(200);

    private final String name;
    private final DataSource dataSource;
    private final ArchiveStore store;
    private final Path spool;
    private final String slot;
    private final long segmentBytes;
    private final int maxManifestSegments;
    private final InstantSource clock;
    private final ManifestWriter manifest;
    /** (time, server flush position then), oldest first: what a received position proves about time. */
    private final Deque<long[]> promises = new ArrayDeque<>();

    private volatile String lastError;
    private volatile Instant lastSuccess;
    private volatile long received;

    public WalShipper(
            String name,
            DataSource dataSource,
            ArchiveStore store,
            Path spool,
            String slot,
            long segmentBytes,
            int maxManifestSegments,
            InstantSource clock) {
        this.name = name;
        this.dataSource = dataSource;
        this.store = store;
        this.spool = spool;
        this.slot = slot;
        this.segmentBytes = segmentBytes;
        this.maxManifestSegments = maxManifestSegments;
        this.clock = clock;
        this.manifest = new ManifestWriter(name, store);
    }

    /** Where a chunk starts and ends, and its timeline, from its archive name. */
    public record Chunk(int timeline, long start, long end) {}

    /** The chunk a name stands for, or empty if it is not a WAL chunk. */
    public static Optional<Chunk> chunkOf(String archiveName) {
        Matcher m = CHUNK.matcher(archiveName);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Chunk(
                Integer.parseInt(m.group(1), 16),
                Long.parseUnsignedLong(m.group(2), 16),
                Long.parseUnsignedLong(m.group(3), 16)));
    }

    /** The server's WAL flush position now. */
    public long serverFlush() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement read = connection.prepareStatement(FLUSH);
                ResultSet row = read.executeQuery()) {
            row.next();
            return Lsn.parse(row.getString(1));
        }
    }

    /** What the receiver has safely in its spool (the slot's position), 0 if nothing yet. */
    public long receivedPosition() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement read = connection.prepareStatement(RECEIVED)) {
            read.setString(1, slot);
            try (ResultSet row = read.executeQuery()) {
                if (!row.next()) {
                    throw new BackupException("replication slot '" + slot + "' is missing; was it dropped?");
                }
                String lsn = row.getString(1);
                return lsn == null ? 0 : Lsn.parse(lsn);
            }
        }
    }

    /**
     * Ships what the receiver has so far.
     *
     * @return the archive's end: the last archived WAL byte + 1 (0 if none)
     */
    public long ship() throws SQLException, IOException {
        return manifest.change(current -> {
            try {
                return shipInto(current);
            } catch (SQLException | IOException | RuntimeException e) {
                lastError = e.getMessage();
                throw e;
            }
        });
    }

    private long shipInto(Manifest current) throws SQLException, IOException {
        Instant now = clock.instant();
        long flush = serverFlush();
        promises.addLast(new long[] {now.toEpochMilli(), flush});
        long upTo = awaitReceived(flush);
        received = upTo;
        long next = current.hasSegments() ? current.lastSeq() + 1 : firstInSpool();
        Instant covered = coveredTime(upTo, current.lastAt());
        Instant previous = current.lastAt() != null ? current.lastAt() : covered;
        boolean changed = false;
        while (next > 0 && next < upTo) {
            long segno = Long.divideUnsigned(next, segmentBytes);
            long segmentStart = segno * segmentBytes;
            long end = Math.min(upTo, segmentStart + segmentBytes);
            Optional<Path> file = spoolFile(segno);
            if (file.isEmpty()) {
                throw new BackupException("the WAL spool " + spool + " has no segment "
                        + Lsn.fileName(1, segno, segmentBytes) + " although the archive of '" + name + "' ends at "
                        + Lsn.format(next) + ": a gap; take a new base backup into a new archive");
            }
            byte[] bytes = read(file.get(), next - segmentStart, (int) (end - next));
            int timeline = Lsn.timeline(file.get().getFileName().toString());
            String chunkName = String.format(Locale.ROOT, "%s/wal/%08x-%016x-%016x.wal.gz", name, timeline, next, end);
            byte[] content = gzip(bytes);
            store.put(chunkName, content);
            current.append(
                    store,
                    new SegmentInfo(chunkName, next, end - 1, previous, covered, Sha256.of(content), content.length),
                    maxManifestSegments);
            previous = covered;
            changed = true;
            next = end;
        }
        if (changed) {
            current.write(store);
            deleteShippedSpool(next);
        }
        lastError = null;
        lastSuccess = Instant.now();
        return current.hasSegments() ? current.lastSeq() + 1 : 0;
    }

    /**
     * The receiver trails the server by milliseconds; waiting that long (never more than {@link
     * #CATCH_UP}) lets this seal prove its own start time instead of the previous seal's, which
     * keeps the recovery point near the seal interval rather than twice it.
     */
    private long awaitReceived(long flush) throws SQLException {
        NanoClock elapsed = NanoClock.system();
        long deadline = elapsed.nanoTime() + CATCH_UP.toNanos();
        long upTo = receivedPosition();
        while (upTo < flush && elapsed.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            upTo = receivedPosition();
        }
        return upTo;
    }

    /** The one writer of this database's manifest: base-backup records, retention and snapshots go through it. */
    public ManifestWriter manifest() {
        return manifest;
    }

    public String lastError() {
        return lastError;
    }

    /** Records a failure outside shipping (the receiver), for the status. */
    public void failed(String error) {
        lastError = error;
    }

    public Instant lastSuccess() {
        return lastSuccess;
    }

    /** The receiver's position at the last ship. */
    public long received() {
        return received;
    }

    /** The newest time whose server flush position the receiver has reached; drops promises kept. */
    private Instant coveredTime(long receivedUpTo, Instant fallback) {
        Instant covered = fallback;
        while (!promises.isEmpty() && promises.peekFirst()[1] <= receivedUpTo) {
            covered = Instant.ofEpochMilli(promises.pollFirst()[0]);
        }
        if (covered == null) {
            // Nothing proven yet: stamp the epoch rather than claim a recovery point not yet reached.
            covered = Instant.EPOCH;
        }
        while (promises.size() > 64) {
            promises.pollFirst();
        }
        return covered;
    }

    private long firstInSpool() throws IOException {
        long first = -1;
        for (Path file : spoolFiles()) {
            long segno = Lsn.segno(file.getFileName().toString(), segmentBytes);
            if (first < 0 || segno < first) {
                first = segno;
            }
        }
        return first < 0 ? 0 : first * segmentBytes;
    }

    private Optional<Path> spoolFile(long segno) throws IOException {
        Path best = null;
        for (Path file : spoolFiles()) {
            String fileName = file.getFileName().toString();
            if (Lsn.segno(fileName, segmentBytes) == segno
                    && (best == null
                            || Lsn.timeline(fileName)
                                    > Lsn.timeline(best.getFileName().toString()))) {
                best = file;
            }
        }
        return Optional.ofNullable(best);
    }

    private List<Path> spoolFiles() throws IOException {
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(spool)) {
            return files.filter(file ->
                            WAL_FILE.matcher(file.getFileName().toString()).matches())
                    .toList();
        }
    }

    private byte[] read(Path file, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        try (FileChannel channel = openEitherName(file)) {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new IOException(file + " ends before byte " + (offset + length));
                }
            }
        }
        return buffer.array();
    }

    /** The receiver renames "X.partial" to "X" when the segment is complete; the bytes are the same. */
    private static FileChannel openEitherName(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException renamed) {
            String fileName = file.getFileName().toString();
            return FileChannel.open(
                    file.resolveSibling(
                            fileName.endsWith(".partial") ? fileName.substring(0, 24) : fileName + ".partial"),
                    StandardOpenOption.READ);
        }
    }

    private void deleteShippedSpool(long next) throws IOException {
        for (Path file : spoolFiles()) {
            String fileName = file.getFileName().toString();
            if (!fileName.endsWith(".partial") && (Lsn.segno(fileName, segmentBytes) + 1) * segmentBytes <= next) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
        try (FastGzipOutputStream zip = new FastGzipOutputStream(out, 64 * 1024)) {
            zip.write(bytes);
        }
        return out.toByteArray();
    }
}
