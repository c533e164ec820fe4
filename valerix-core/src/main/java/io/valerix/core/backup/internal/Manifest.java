package io.valerix.core.backup.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.valerix.core.backup.ArchiveDamagedException;
import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.BaseBackupInfo;
import io.valerix.core.backup.SegmentInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The manifest of one database in the archive, {@code <database>/manifest.json}: its base backups
 * and its segments, in order.
 *
 * <p>So that the manifest (rewritten at every seal) stays small, once it lists more than a set
 * number of segments they move into an immutable list file {@code <database>/lists/<first>-<last>.json},
 * which the manifest then names with its SHA-256: a two-level index, like an LSM tree's flush.
 *
 * <p>Mutable; one writer (the archiver of the database) owns it and serializes access.
 */
public final class Manifest {

    public static final int FORMAT = 1;
    private static final TypeReference<List<SegmentInfo>> SEGMENTS = new TypeReference<>() {};

    /** A closed list of segments in a file of its own. */
    public record SegmentList(
            String name, long firstSeq, long lastSeq, Instant firstAt, Instant lastAt, int count, String sha256) {}

    public int format = FORMAT;
    public String database;
    public List<BaseBackupInfo> baseBackups = new ArrayList<>();
    public List<SegmentList> segmentLists = new ArrayList<>();
    public List<SegmentInfo> segments = new ArrayList<>();

    public static String nameOf(String database) {
        return database + "/manifest.json";
    }

    public static Manifest empty(String database) {
        Manifest manifest = new Manifest();
        manifest.database = database;
        return manifest;
    }

    /**
     * The manifest of {@code database}, or empty if the archive has none.
     *
     * @throws ArchiveDamagedException if it does not parse or names another database
     */
    public static Optional<Manifest> read(ArchiveStore store, String database) throws IOException {
        String name = nameOf(database);
        byte[] content;
        try (InputStream in = store.open(name)) {
            content = in.readAllBytes();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Manifest manifest;
        try {
            manifest = ArchiveJson.MAPPER.readValue(content, Manifest.class);
        } catch (IOException | RuntimeException e) {
            throw new ArchiveDamagedException(
                    name, "manifest " + name + " in " + store.location() + " is damaged: " + e.getMessage(), e);
        }
        if (manifest.format != FORMAT || !database.equals(manifest.database)) {
            throw new ArchiveDamagedException(
                    name,
                    "manifest " + name + " is for database '" + manifest.database + "' in format " + manifest.format
                            + ", not '" + database + "' in format " + FORMAT);
        }
        // JSON null parses into a field or a list element; the restore would trip over it later.
        for (List<?> list : Arrays.asList(manifest.baseBackups, manifest.segmentLists, manifest.segments)) {
            if (list == null || list.contains(null)) {
                throw new ArchiveDamagedException(
                        name, "manifest " + name + " in " + store.location() + " is damaged: it lists null");
            }
        }
        return Optional.of(manifest);
    }

    public void write(ArchiveStore store) throws IOException {
        store.put(nameOf(database), ArchiveJson.MAPPER.writeValueAsBytes(this));
    }

    /** The last archived journal row, or 0 if none. */
    public long lastSeq() {
        if (!segments.isEmpty()) {
            return segments.getLast().lastSeq();
        }
        return segmentLists.isEmpty() ? 0 : segmentLists.getLast().lastSeq();
    }

    /** The time of the last archived journal row, or null if none. */
    public Instant lastAt() {
        if (!segments.isEmpty()) {
            return segments.getLast().lastAt();
        }
        return segmentLists.isEmpty() ? null : segmentLists.getLast().lastAt();
    }

    public boolean hasSegments() {
        return !segments.isEmpty() || !segmentLists.isEmpty();
    }

    /**
     * Appends a segment; if the manifest then lists more than {@code maxSegments}, moves them into
     * a list file first (written before the manifest that names it).
     */
    public void append(ArchiveStore store, SegmentInfo segment, int maxSegments) throws IOException {
        segments.add(segment);
        if (segments.size() > maxSegments) {
            String name = String.format(
                    "%s/lists/%020d-%020d.json",
                    database, segments.getFirst().firstSeq(), segments.getLast().lastSeq());
            byte[] content = ArchiveJson.MAPPER.writeValueAsBytes(segments);
            store.put(name, content);
            segmentLists.add(new SegmentList(
                    name,
                    segments.getFirst().firstSeq(),
                    segments.getLast().lastSeq(),
                    segments.getFirst().firstAt(),
                    segments.getLast().lastAt(),
                    segments.size(),
                    Sha256.of(content)));
            segments = new ArrayList<>();
        }
    }

    /**
     * Every segment whose rows go past {@code afterSeq}, in order, reading (and checking) the list
     * files that hold them.
     *
     * @throws ArchiveDamagedException if a list file is missing, fails its checksum, or does not parse
     */
    public List<SegmentInfo> segmentsAfter(ArchiveStore store, long afterSeq) {
        List<SegmentInfo> found = new ArrayList<>();
        for (SegmentList list : segmentLists) {
            if (list.lastSeq() <= afterSeq) {
                continue;
            }
            for (SegmentInfo segment : readList(store, list)) {
                if (segment.lastSeq() > afterSeq) {
                    found.add(segment);
                }
            }
        }
        for (SegmentInfo segment : segments) {
            if (segment.lastSeq() > afterSeq) {
                found.add(segment);
            }
        }
        return found;
    }

    /** The names of the list files, for the daily bundle. */
    public List<String> listNames() {
        return segmentLists.stream().map(SegmentList::name).toList();
    }

    /** The segments of one list file, checked against its SHA-256. */
    public static List<SegmentInfo> readList(ArchiveStore store, SegmentList list) {
        byte[] content;
        try (InputStream in = store.open(list.name())) {
            content = in.readAllBytes();
        } catch (NoSuchFileException e) {
            throw new ArchiveDamagedException(
                    list.name(),
                    "segment list " + list.name() + " is listed in the manifest but missing from " + store.location());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + list.name() + " from " + store.location() + " failed", e);
        }
        String sha = Sha256.of(content);
        if (!sha.equals(list.sha256())) {
            throw new ArchiveDamagedException(
                    list.name(),
                    "segment list " + list.name() + " is corrupt: its SHA-256 is " + sha + " but the manifest says "
                            + list.sha256());
        }
        try {
            return ArchiveJson.MAPPER.readValue(content, SEGMENTS);
        } catch (JsonProcessingException e) {
            throw new ArchiveDamagedException(
                    list.name(), "segment list " + list.name() + " does not parse: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
