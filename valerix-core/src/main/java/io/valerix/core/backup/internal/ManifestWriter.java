package io.valerix.core.backup.internal;

import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.BaseBackupInfo;
import io.valerix.core.backup.PrunedArchive;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one writer of a database's manifest in the archive, shared by both engines' shippers: it
 * keeps the manifest in memory, and every change to it (a shipped segment or WAL chunk, a base
 * backup, retention) runs under one lock, so no writer puts back a manifest that another has
 * changed. A failed change forgets the copy in memory, which may be ahead of the stored one; the
 * next change reads the archive again.
 */
public final class ManifestWriter {

    /** A change to the manifest, run under the lock. */
    @FunctionalInterface
    interface Change<T> {
        T apply(Manifest current) throws SQLException, IOException;
    }

    private final String database;
    private final ArchiveStore store;
    private final ReentrantLock lock = new ReentrantLock();
    private Manifest manifest;

    ManifestWriter(String database, ArchiveStore store) {
        this.database = database;
        this.store = store;
    }

    /**
     * Runs {@code change} on the manifest under the lock; if it throws, the copy in memory is
     * forgotten and the exception passes on.
     */
    <T> T change(Change<T> change) throws SQLException, IOException {
        lock.lock();
        try {
            return change.apply(current());
        } catch (SQLException | IOException | RuntimeException e) {
            manifest = null;
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** Adds a base backup (already stored) to the manifest and writes it. */
    public void recordBase(BaseBackupInfo base) throws IOException {
        ioChange(current -> {
            current.baseBackups.add(base);
            current.write(store);
            return null;
        });
    }

    /**
     * Removes from the archive what no restore to {@code keepFrom} or later needs ({@link
     * Retention}), under the lock, so a seal never writes back a manifest that still lists it.
     */
    public PrunedArchive retain(Instant keepFrom) throws IOException {
        return ioChange(current -> Retention.prune(store, current, keepFrom));
    }

    /** A copy of the manifest as it is now. */
    public Manifest snapshot() throws IOException {
        return ioChange(current -> {
            Manifest copy = Manifest.empty(database);
            copy.baseBackups = new ArrayList<>(current.baseBackups);
            copy.segmentLists = new ArrayList<>(current.segmentLists);
            copy.segments = new ArrayList<>(current.segments);
            return copy;
        });
    }

    private <T> T ioChange(Change<T> change) throws IOException {
        try {
            return change(change);
        } catch (SQLException e) {
            throw new IllegalStateException("a manifest change without SQL threw " + e, e);
        }
    }

    private Manifest current() throws IOException {
        if (manifest == null) {
            manifest = Manifest.read(store, database).orElseGet(() -> Manifest.empty(database));
        }
        return manifest;
    }
}
