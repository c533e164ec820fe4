package io.valerix.core.backup;

import io.valerix.core.backup.internal.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A read-only view of one database's manifest in an archive: its base backups and its archived
 * journal segments. Immutable snapshot of the manifest as it was read.
 */
public final class ArchiveManifest {

    private final ArchiveStore store;
    private final Manifest manifest;

    private ArchiveManifest(ArchiveStore store, Manifest manifest) {
        this.store = store;
        this.manifest = manifest;
    }

    /**
     * The manifest of {@code database} in {@code store}, or empty if the archive has none.
     *
     * @throws ArchiveDamagedException if it does not parse
     * @throws UncheckedIOException if the archive cannot be read
     */
    public static Optional<ArchiveManifest> read(ArchiveStore store, String database) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(database, "database");
        try {
            return Manifest.read(store, database).map(manifest -> new ArchiveManifest(store, manifest));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "reading the manifest of '" + database + "' from " + store.location() + " failed", e);
        }
    }

    public String database() {
        return manifest.database;
    }

    /** The base backups, oldest first. */
    public List<BaseBackupInfo> baseBackups() {
        return List.copyOf(manifest.baseBackups);
    }

    /**
     * Every archived segment, in order (reading the list files of older ones).
     *
     * @throws ArchiveDamagedException if a list file is missing or damaged
     */
    public List<SegmentInfo> segments() {
        return manifest.segmentsAfter(store, 0);
    }

    /** The last archived journal row; 0 if none. */
    public long lastSeq() {
        return manifest.lastSeq();
    }

    /** The time stamped on the last archived journal row; empty if none. */
    public Optional<Instant> lastAt() {
        return Optional.ofNullable(manifest.lastAt());
    }
}
