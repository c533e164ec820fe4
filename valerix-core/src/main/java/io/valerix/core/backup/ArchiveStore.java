package io.valerix.core.backup;

import io.valerix.core.backup.internal.DirectoryArchiveStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where archived files live: journal segments, base backups, manifests and the daily quota
 * claims. The service provider interface behind {@link JournalArchiver}, {@link DailyBackup} and
 * {@link PointInTimeRestore}; {@link #directory(Path)} is the default, and an object store (S3,
 * GCS, Azure Blob) fits behind the same few operations.
 *
 * <p>Names are relative paths of lower-case letters, digits and {@code . _ -} separated by
 * {@code /}, such as {@code inventory/segments/00000000000000000001-00000000000000000042.jsonl.gz}.
 *
 * <p>What implementations must guarantee, because restore and the quota rest on it:
 * <ul>
 *   <li>{@link #put} is atomic: a reader sees the old content or the new, never a part (a
 *       directory writes a temporary file and renames it; an object store's PUT already is).
 *   <li>{@link #createIfAbsent} is atomic across processes and machines: of two callers, exactly
 *       one creates the file (a directory uses {@code O_EXCL}; on S3, a PUT with
 *       {@code If-None-Match: *}).
 *   <li>Data is durable once the call returns.
 * </ul>
 *
 * <p>Implementations are thread-safe.
 */
public interface ArchiveStore {

    /**
     * An archive in {@code root} on a file system (created if missing): temporary file, fsync and
     * atomic rename for {@link #put}, {@code O_EXCL} for {@link #createIfAbsent}.
     */
    static ArchiveStore directory(Path root) {
        return new DirectoryArchiveStore(root);
    }

    /** Stores {@code content} under {@code name}, replacing what was there, atomically. */
    void put(String name, byte[] content) throws IOException;

    /** Stores the file {@code source} under {@code name}, replacing what was there, atomically. */
    void putFile(String name, Path source) throws IOException;

    /**
     * Stores {@code content} under {@code name} only if nothing is stored there yet.
     *
     * @return true if this call created it; false if it existed
     */
    boolean createIfAbsent(String name, byte[] content) throws IOException;

    /**
     * Opens the content stored under {@code name}; the caller closes the stream.
     *
     * @throws NoSuchFileException if nothing is stored there
     */
    InputStream open(String name) throws IOException;

    /**
     * Removes what is stored under {@code name}; nothing if nothing is. Only retention ({@code
     * valerix backup prune}) deletes, and only files no manifest lists any more.
     *
     * @throws UnsupportedOperationException if this store cannot delete (the default, so that a store
     *     written before retention existed still compiles; such an archive cannot be pruned)
     */
    default void delete(String name) throws IOException {
        throw new UnsupportedOperationException(
                "the archive at " + location() + " (" + getClass().getName() + ") cannot delete files,"
                        + " so it cannot be pruned; implement ArchiveStore.delete");
    }

    /** Whether something is stored under {@code name}. */
    boolean exists(String name) throws IOException;

    /** Where this archive is, for messages: a directory path or a bucket URI. */
    String location();
}
