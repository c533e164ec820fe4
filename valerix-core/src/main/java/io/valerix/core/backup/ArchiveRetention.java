package io.valerix.core.backup;

import io.valerix.core.backup.internal.Manifest;
import io.valerix.core.backup.internal.Retention;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Retention for an archive, on the manifest model every engine's archive shares: removes the base
 * backups and segments that no restore to an instant at or after {@code keepFrom} needs, and never
 * one that it does. Kept: every base backup covering a later instant, the newest one covering
 * {@code keepFrom} or earlier (a restore to {@code keepFrom} starts there), and every segment after
 * the oldest kept base backup. An archive with no base backup is left alone.
 *
 * <p>A manifest has one writer. While a service archives a database, prune through it ({@link
 * JournalArchiver#prune(Duration)}, {@code POST /admin/backup/prune}); {@link #prune(ArchiveStore,
 * String, Instant)} is for an archive that nothing writes to meanwhile.
 */
public final class ArchiveRetention {

    private ArchiveRetention() {}

    /** The instant from which {@code keep} keeps everything restorable, by {@code clock}. */
    public static Instant keepFrom(Duration keep, InstantSource clock) {
        Objects.requireNonNull(keep, "keep");
        Objects.requireNonNull(clock, "clock");
        if (keep.isNegative()) {
            throw new IllegalArgumentException("keep must not be negative, but was " + keep);
        }
        return clock.instant().minus(keep);
    }

    /**
     * Prunes the archive of {@code database} in {@code store}, which nothing else writes meanwhile.
     *
     * @throws BackupException if the archive has no manifest for {@code database}
     * @throws ArchiveDamagedException if the manifest or a list file it must read is damaged
     * @throws UncheckedIOException if the archive cannot be written
     */
    public static PrunedArchive prune(ArchiveStore store, String database, Instant keepFrom) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(keepFrom, "keepFrom");
        try {
            Manifest manifest = Manifest.read(store, database)
                    .orElseThrow(() -> new BackupException(
                            "the archive in " + store.location() + " has no manifest for database '" + database + "'"));
            return Retention.prune(store, manifest, keepFrom);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "pruning the archive of '" + database + "' in " + store.location() + " failed", e);
        }
    }
}
