package io.valerix.core.backup;

import io.valerix.core.backup.internal.DatabaseRestorer;
import io.valerix.core.backup.internal.Trees;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Point-in-time restore: rebuilds databases from an archive, each from its newest base backup that
 * is not past the {@link RestorePoint} plus the archived journal up to the point.
 *
 * <pre>{@code
 * RestoreResult result = PointInTimeRestore.builder(ArchiveStore.directory(archive))
 *     .database("orders")
 *     .database("inventory")
 *     .to(RestorePoint.at(Instant.parse("2025-06-01T12:00:00Z")))
 *     .into(Path.of("restored"))
 *     .build()
 *     .run();
 * // restored/orders/orders.mv.db, restored/inventory/inventory.mv.db
 * }</pre>
 *
 * <p><b>All or nothing.</b> Everything is built in a temporary directory beside the target and
 * moved into place with one atomic rename only when every database restored. A missing or
 * corrupt file, or a hole in the journal, stops the restore with an {@link
 * ArchiveDamagedException} naming it, and nothing appears at the target. The target must not
 * exist or be an empty directory: a restore never overwrites.
 *
 * <p>The restored databases hold exactly the changes stamped at or before the point (or numbered
 * up to it); their journal counters continue from the last change restored. To archive a database
 * restored to an earlier point, use a new archive location (the old one already holds later rows
 * under the same numbers; {@link JournalArchiver#start()} refuses that).
 *
 * <p>Immutable once built; {@link #run()} may be called once per target.
 */
public final class PointInTimeRestore {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final ArchiveStore store;
    private final List<String> databases;
    private final Map<String, List<DatabaseRestorer.SequenceFloor>> floors;
    private final RestorePoint point;
    private final Path target;

    private PointInTimeRestore(Builder builder) {
        this.store = builder.store;
        this.databases = List.copyOf(builder.databases);
        Map<String, List<DatabaseRestorer.SequenceFloor>> copy = new LinkedHashMap<>();
        builder.floors.forEach((database, list) -> copy.put(database, List.copyOf(list)));
        this.floors = copy;
        this.point = builder.point;
        this.target = builder.target.toAbsolutePath().normalize();
    }

    public static Builder builder(ArchiveStore store) {
        return new Builder(store);
    }

    /**
     * Restores every database and moves them into place.
     *
     * @throws ArchiveDamagedException if a needed file is missing or damaged, or rows are missing
     * @throws NoBaseBackupException if a database has no base backup that is not past the point
     * @throws BackupException if the target exists and is not empty, the archive ends before a
     *     requested journal row, or a step fails
     */
    public RestoreResult run() {
        requireFreeTarget();
        Path parent = target.getParent();
        Path temporary = parent.resolve("." + target.getFileName() + ".restoring-" + UUID.randomUUID());
        List<RestoreResult.DatabaseRestore> restored = new ArrayList<>();
        try {
            Files.createDirectories(temporary);
            for (String database : databases) {
                RestoreResult.DatabaseRestore result = DatabaseRestorer.restore(
                        store, database, point, temporary.resolve(database), floors.getOrDefault(database, List.of()));
                restored.add(new RestoreResult.DatabaseRestore(
                        result.database(),
                        target.resolve(database),
                        result.baseBackup(),
                        result.changesApplied(),
                        result.restoredSeq(),
                        result.restoredAt(),
                        result.archiveEndsAt()));
            }
            moveIntoPlace(temporary);
            for (String database : databases) {
                DatabaseRestorer.settle(target.resolve(database));
            }
        } catch (IOException e) {
            BackupException failure = new BackupException("restoring into " + target + " failed: " + e.getMessage(), e);
            Trees.deleteQuietly(temporary, failure);
            throw failure;
        } catch (RuntimeException | Error e) {
            Trees.deleteQuietly(temporary, e);
            throw e;
        }
        return new RestoreResult(target, point, restored);
    }

    private void requireFreeTarget() {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new BackupException("cannot restore into " + target + ": it is a file; a restore never overwrites");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
            if (entries.iterator().hasNext()) {
                throw new BackupException(
                        "cannot restore into " + target + ": it is not empty; a restore never overwrites");
            }
        } catch (IOException e) {
            throw new BackupException("cannot read " + target + ": " + e.getMessage(), e);
        }
    }

    private void moveIntoPlace(Path temporary) throws IOException {
        // An empty target directory is replaced; checked again here in case it filled meanwhile.
        requireFreeTarget();
        Files.deleteIfExists(target);
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + temporary + " to " + target + " atomically", e);
        }
    }

    /** Builds a {@link PointInTimeRestore}; not thread-safe; validated in {@link #build()}. */
    public static final class Builder {
        private final ArchiveStore store;
        private final List<String> databases = new ArrayList<>();
        private final Map<String, List<DatabaseRestorer.SequenceFloor>> floors = new LinkedHashMap<>();
        private RestorePoint point = RestorePoint.latest();
        private Path target;

        private Builder(ArchiveStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Restores {@code database} (as the archive names it) into {@code <target>/<database>}. */
        public Builder database(String database) {
            Objects.requireNonNull(database, "database");
            if (!database.matches("[a-z][a-z0-9-]{0,62}")) {
                throw new IllegalArgumentException(
                        "database name must be lower-case letters, digits and '-', but was '" + database + "'");
            }
            if (databases.contains(database)) {
                throw new IllegalArgumentException("database '" + database + "' is given twice");
            }
            databases.add(database);
            return this;
        }

        /** How far to restore; {@link RestorePoint#latest()} unless set. */
        public Builder to(RestorePoint point) {
            this.point = Objects.requireNonNull(point, "point");
            return this;
        }

        /** The directory to create; it must not exist, or be empty. */
        public Builder into(Path target) {
            this.target = Objects.requireNonNull(target, "target");
            return this;
        }

        /**
         * After the replay, makes {@code sequence} of {@code database} hand out values above the
         * largest {@code column} of {@code table}: sequences are not journaled, and the base backup's
         * sequence may be behind the rows replayed after it (for example the idempotency store's
         * fencing tokens).
         */
        public Builder sequenceFloor(String database, String sequence, String table, String column) {
            Objects.requireNonNull(database, "database");
            for (String identifier : new String[] {sequence, table, column}) {
                Objects.requireNonNull(identifier, "identifier");
                if (!IDENTIFIER.matcher(identifier).matches()) {
                    throw new IllegalArgumentException(
                            "sequence, table and column must be lower-case SQL identifiers, but one was '" + identifier
                                    + "'");
                }
            }
            floors.computeIfAbsent(database, key -> new ArrayList<>())
                    .add(new DatabaseRestorer.SequenceFloor(sequence, table, column));
            return this;
        }

        /** @throws IllegalStateException if no database or no target was given */
        public PointInTimeRestore build() {
            if (databases.isEmpty()) {
                throw new IllegalStateException("name at least one database to restore");
            }
            if (target == null) {
                throw new IllegalStateException("into(target) must be set");
            }
            if (target.toAbsolutePath().normalize().getParent() == null) {
                throw new IllegalArgumentException("target must not be a file system root, but was " + target);
            }
            for (String database : floors.keySet()) {
                if (!databases.contains(database)) {
                    throw new IllegalStateException(
                            "a sequence floor names database '" + database + "', which is not restored");
                }
            }
            return new PointInTimeRestore(this);
        }
    }
}
