package io.valerix.core.backup;

import io.valerix.core.backup.internal.DatabaseShipper;
import io.valerix.core.backup.internal.H2BaseBackup;
import io.valerix.core.backup.internal.Manifest;
import io.valerix.core.backup.internal.Sha256;
import io.valerix.core.backup.internal.Trees;
import io.valerix.core.health.HealthCheck;
import io.valerix.core.journal.ChangeJournal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous archiving, the counterpart of PostgreSQL's WAL archiving: seals each database's
 * {@link ChangeJournal} into segments at least every {@link Builder#sealInterval(Duration)} and
 * ships them, each with its SHA-256, to an {@link ArchiveStore}, listed in a manifest per
 * database ({@code <database>/manifest.json}, rewritten atomically). It also takes base backups
 * ({@link #takeBaseBackup(String)}) into the same archive.
 *
 * <pre>{@code
 * JournalArchiver archiver = JournalArchiver.builder(ArchiveStore.directory(Path.of("archive")))
 *     .database("orders", ordersDataSource)
 *     .build()
 *     .start();
 * ...
 * archiver.close();   // ships what is left, then stops
 * }</pre>
 *
 * <p><b>Recovery point.</b> A change is archived once the seal after its commit has shipped, so a
 * crash loses at most the changes of the last seal interval plus the time a seal takes (1 s by
 * default); a graceful {@link #close()} loses nothing.
 *
 * <p>Run one archiver per database (like one {@code archive_command} per PostgreSQL primary); the
 * archiver is its manifest's only writer. It reads and deletes rows of {@code valerix_journal}
 * only, so it never blocks the writers' counter row.
 *
 * <p><b>Failures.</b> When the archive or the database fails (a bucket that refuses writes, a
 * full disk), the writers go on: their changes wait in the journal, which is emptied only once
 * archived. The archiver logs the failure once and retries with backoff, doubling the wait from
 * the seal interval up to {@link Builder#maxRetryDelay(Duration)} (30 s by default), so a broken
 * archive is not hammered once a second and a healed one is caught up within that bound.
 * {@link #status()} shows the gap (unarchived changes, failing since, next attempt) and {@link
 * #healthCheck()} reports it from memory for {@code /health}. Thread-safe. The caller owns the data
 * sources and closes them after the archiver.
 */
public final class JournalArchiver implements ContinuousArchiver, BaseBackupTaker {

    private static final Logger log = LoggerFactory.getLogger(JournalArchiver.class);
    private static final DateTimeFormatter COMPACT =
            DateTimeFormatter.ofPattern("uuuuMMdd't'HHmmss'z'").withZone(ZoneOffset.UTC);

    /** The default time between seals: the recovery point objective. */
    public static final Duration DEFAULT_SEAL_INTERVAL = Duration.ofSeconds(1);
    /** The default cap on changes per segment. */
    public static final int DEFAULT_MAX_SEGMENT_CHANGES = 10_000;
    /** The default number of segments the manifest lists before they move into a list file. */
    public static final int DEFAULT_MAX_MANIFEST_SEGMENTS = 1_000;
    /** The default longest wait between retries of a failing archive. */
    public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofSeconds(30);

    /**
     * How archiving one database stands.
     *
     * @param journalSeq the last journal row committed (-1 if the database cannot be read)
     * @param archivedSeq the last journal row archived
     * @param lastError the latest failure, null while archiving succeeds
     * @param unarchivedChanges committed changes not archived yet: the gap a crash now would lose
     * @param failedSeals seals failed in a row, 0 while archiving succeeds
     * @param failingSince when the current run of failures began, null while archiving succeeds
     * @param nextSealAt when the archiver tries next (later than usual while it backs off)
     */
    public record DatabaseStatus(
            String database,
            long journalSeq,
            long archivedSeq,
            Instant archivedAt,
            int baseBackups,
            Instant lastSuccess,
            String lastError,
            long unarchivedChanges,
            int failedSeals,
            Instant failingSince,
            Instant nextSealAt) {}

    /** A database's current run of failed seals. */
    private record FailureRun(int seals, Instant since) {}

    private final ArchiveStore store;
    private final Map<String, DatabaseShipper> shippers;
    private final Duration sealInterval;
    private final Duration maxRetryDelay;
    private final InstantSource clock;
    private final Map<String, FailureRun> failures = new ConcurrentHashMap<>();
    private final Object lifecycle = new Object();
    private ScheduledThreadPoolExecutor scheduler;
    private volatile Instant nextSealAt;
    private volatile boolean closed;

    private JournalArchiver(Builder builder) {
        this.store = builder.store;
        this.sealInterval = builder.sealInterval;
        this.maxRetryDelay = builder.maxRetryDelay;
        this.clock = builder.clock;
        Map<String, DatabaseShipper> byName = new LinkedHashMap<>();
        builder.databases.forEach((name, dataSource) -> byName.put(
                name,
                new DatabaseShipper(
                        name, dataSource, builder.store, builder.maxSegmentChanges, builder.maxManifestSegments)));
        this.shippers = byName;
    }

    public static Builder builder(ArchiveStore store) {
        return new Builder(store);
    }

    /**
     * Checks every database and starts sealing every seal interval.
     *
     * @throws BackupException if a database has no journal, or is behind what the archive holds
     *     (restored to an earlier point: archive it into a new location)
     * @throws IllegalStateException if already started or closed
     */
    public JournalArchiver start() {
        synchronized (lifecycle) {
            if (scheduler != null || closed) {
                throw new IllegalStateException("the archiver was already started");
            }
            for (DatabaseShipper shipper : shippers.values()) {
                try {
                    shipper.checkStartable();
                } catch (SQLException | IOException e) {
                    throw new BackupException(
                            "archiving database '" + shipper.database() + "' cannot start: " + e.getMessage(), e);
                }
            }
            scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "journal-archiver");
                thread.setDaemon(true);
                return thread;
            });
            // A pending retry may be 30 s away: shutdown must drop it, not wait for it.
            scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            scheduleSeal(sealInterval);
            log.info("archiving {} to {} every {} ms", shippers.keySet(), store.location(), sealInterval.toMillis());
            return this;
        }
    }

    /**
     * Seals and ships everything committed so far, now, in the caller's thread.
     *
     * @return the last archived journal row per database
     * @throws BackupException if a database or the archive fails
     */
    @Override
    public Map<String, Long> sealNow() {
        Map<String, Long> shipped = new LinkedHashMap<>();
        for (DatabaseShipper shipper : shippers.values()) {
            try {
                shipped.put(shipper.database(), shipper.ship());
                failures.remove(shipper.database());
            } catch (SQLException | IOException e) {
                recordFailure(shipper.database());
                throw new BackupException(
                        "archiving database '" + shipper.database() + "' failed: " + e.getMessage(), e);
            }
        }
        return shipped;
    }

    /**
     * Takes an online, consistent base backup of {@code database} into the archive and lists it in
     * the manifest. Writers go on meanwhile, and so does archiving.
     *
     * @throws BackupException if the database is unknown, is not H2, has no journal, or the backup
     *     or the archive fails
     */
    @Override
    public BaseBackupInfo takeBaseBackup(String database) {
        DatabaseShipper shipper = shipper(database);
        Path work = null;
        try {
            work = Files.createTempDirectory("valerix-base-");
            H2BaseBackup.Taken taken = H2BaseBackup.take(database, shipper.dataSource(), work);
            Instant takenAt = clock.instant();
            String name = String.format("%s/base/%020d-%s.zip", database, taken.coversSeq(), COMPACT.format(takenAt));
            BaseBackupInfo base = new BaseBackupInfo(
                    database,
                    name,
                    taken.coversSeq(),
                    taken.coversAt(),
                    takenAt,
                    Sha256.of(taken.zip()),
                    Files.size(taken.zip()));
            store.putFile(name, taken.zip());
            shipper.manifest().recordBase(base);
            log.info(
                    "base backup of '{}' covers journal row {}: {} ({} bytes)",
                    database,
                    base.coversSeq(),
                    name,
                    base.bytes());
            return base;
        } catch (IOException e) {
            throw new BackupException("the base backup of database '" + database + "' failed: " + e.getMessage(), e);
        } finally {
            if (work != null) {
                try {
                    Trees.delete(work);
                } catch (IOException e) {
                    log.warn("could not delete the work directory {}", work, e);
                }
            }
        }
    }

    @Override
    public boolean hasBaseBackup(String database) {
        try {
            return !shipper(database).manifest().snapshot().baseBackups.isEmpty();
        } catch (IOException e) {
            throw new BackupException(
                    "reading the manifest of database '" + database + "' from " + store.location() + " failed: "
                            + e.getMessage(),
                    e);
        }
    }

    /** {@link #takeBaseBackup} of every database, in the order they were added. */
    @Override
    public List<BaseBackupInfo> takeBaseBackups() {
        return BaseBackupTaker.super.takeBaseBackups();
    }

    /**
     * Retention: removes from the archive the base backups and segments that no restore to an
     * instant within the last {@code keep} (by this archiver's clock) needs; see {@link
     * ArchiveRetention}. Archiving goes on meanwhile.
     *
     * @return what was removed, per database
     * @throws IllegalArgumentException if {@code keep} is negative
     * @throws BackupException if the archive cannot be read or written
     */
    @Override
    public List<PrunedArchive> prune(Duration keep) {
        Instant keepFrom = ArchiveRetention.keepFrom(keep, clock);
        List<PrunedArchive> pruned = new ArrayList<>();
        for (DatabaseShipper shipper : shippers.values()) {
            try {
                pruned.add(shipper.manifest().retain(keepFrom));
            } catch (IOException e) {
                throw new BackupException(
                        "pruning the archive of database '" + shipper.database() + "' failed: " + e.getMessage(), e);
            }
        }
        return pruned;
    }

    /** A digest of {@code database} as it is now; see {@link DatabaseDigest}. */
    @Override
    public DatabaseDigest digest(String database) {
        return DatabaseDigest.of(database, shipper(database).dataSource());
    }

    /** The databases this archiver ships, in the order they were added. */
    @Override
    public List<String> databases() {
        return List.copyOf(shippers.keySet());
    }

    /** The archive it ships to. */
    @Override
    public ArchiveStore store() {
        return store;
    }

    /** How archiving stands, per database. */
    @Override
    public List<DatabaseStatus> status() {
        List<DatabaseStatus> statuses = new ArrayList<>();
        for (DatabaseShipper shipper : shippers.values()) {
            long journalSeq = -1;
            String error = shipper.lastError();
            try {
                journalSeq = shipper.counter().seq();
            } catch (SQLException e) {
                error = error != null ? error : "reading the journal counter failed: " + e.getMessage();
            }
            FailureRun run = failures.get(shipper.database());
            try {
                Manifest manifest = shipper.manifest().snapshot();
                long unarchived = journalSeq < 0 ? -1 : Math.max(0, journalSeq - manifest.lastSeq());
                statuses.add(new DatabaseStatus(
                        shipper.database(),
                        journalSeq,
                        manifest.lastSeq(),
                        manifest.lastAt(),
                        manifest.baseBackups.size(),
                        shipper.lastSuccess(),
                        error,
                        unarchived,
                        run == null ? 0 : run.seals(),
                        run == null ? null : run.since(),
                        nextSealAt));
            } catch (IOException e) {
                throw new UncheckedIOException("reading the manifest of '" + shipper.database() + "' failed", e);
            }
        }
        return statuses;
    }

    /**
     * A check for {@code /health}, answered from memory (no database, no archive call): DOWN while
     * seals fail, saying since when, how often, the latest error and when the next try is; UP with
     * the time of the last successful seal otherwise. Register it as an advisory check ({@link
     * io.valerix.core.health.HealthReporter.Builder#advisoryCheck}): the service keeps serving while
     * its archive is behind, so a load balancer must not pull it.
     */
    public HealthCheck healthCheck() {
        return () -> {
            StringBuilder failing = new StringBuilder();
            Instant lastSuccess = null;
            for (DatabaseShipper shipper : shippers.values()) {
                FailureRun run = failures.get(shipper.database());
                if (run != null) {
                    failing.append(failing.isEmpty() ? "" : "; ")
                            .append("archiving '")
                            .append(shipper.database())
                            .append("' to ")
                            .append(store.location())
                            .append(" fails since ")
                            .append(run.since())
                            .append(" (")
                            .append(run.seals())
                            .append(run.seals() == 1 ? " attempt" : " attempts")
                            .append("): ")
                            .append(shipper.lastError());
                }
                Instant success = shipper.lastSuccess();
                if (success != null && (lastSuccess == null || success.isBefore(lastSuccess))) {
                    lastSuccess = success;
                }
            }
            Instant next = nextSealAt;
            if (!failing.isEmpty()) {
                return HealthCheck.Result.down(failing + (next == null ? "" : "; next attempt at " + next));
            }
            return lastSuccess == null
                    ? HealthCheck.Result.up("not archived yet")
                    : HealthCheck.Result.up("archived at " + lastSuccess);
        };
    }

    /**
     * Stops sealing, then seals once more so a graceful stop archives everything; an archiver that
     * was never started does nothing. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (scheduler == null) {
                return;
            }
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                    log.warn("the archiver's last seal did not finish within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sealQuietly();
        }
    }

    /** One scheduled seal, then the next one: after the seal interval, or later while failing. */
    private void sealAndReschedule() {
        boolean shipped = sealQuietly();
        int failedSeals =
                failures.values().stream().mapToInt(FailureRun::seals).max().orElse(0);
        scheduleSeal(shipped ? sealInterval : retryDelay(failedSeals));
    }

    private void scheduleSeal(Duration delay) {
        if (closed) {
            return;
        }
        nextSealAt = clock.instant().plus(delay);
        try {
            scheduler.schedule(this::sealAndReschedule, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            // close() shut the scheduler down between the check and here; it seals once more itself.
        }
    }

    /** The seal interval doubled per failure in a row, up to the maximum retry delay. */
    Duration retryDelay(int failedSeals) {
        Duration delay = sealInterval;
        for (int i = 0; i < failedSeals && delay.compareTo(maxRetryDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxRetryDelay) < 0 ? delay : maxRetryDelay;
    }

    /** Seals every database once; true if all of them shipped. */
    private boolean sealQuietly() {
        boolean all = true;
        for (DatabaseShipper shipper : shippers.values()) {
            try {
                shipper.ship();
                FailureRun ended = failures.remove(shipper.database());
                if (ended != null) {
                    log.info(
                            "archiving database '{}' works again after {} failed seals since {}",
                            shipper.database(),
                            ended.seals(),
                            ended.since());
                }
            } catch (SQLException | IOException | RuntimeException e) {
                all = false;
                FailureRun run = recordFailure(shipper.database());
                // Logged once per run of failures; the status keeps the latest message.
                if (run.seals() == 1) {
                    log.warn(
                            "archiving database '{}' to {} failed; the changes wait in the journal, retrying with backoff up to {} ms: {}",
                            shipper.database(),
                            store.location(),
                            maxRetryDelay.toMillis(),
                            e.toString());
                }
            }
        }
        return all;
    }

    private FailureRun recordFailure(String database) {
        return failures.merge(
                database,
                new FailureRun(1, clock.instant()),
                (run, first) -> new FailureRun(run.seals() + 1, run.since()));
    }

    private DatabaseShipper shipper(String database) {
        DatabaseShipper shipper = shippers.get(Objects.requireNonNull(database, "database"));
        if (shipper == null) {
            throw new BackupException("database '" + database + "' is not archived here; known: " + shippers.keySet());
        }
        return shipper;
    }

    /** Builds a {@link JournalArchiver}; not thread-safe; validated in {@link #build()}. */
    public static final class Builder {
        private final ArchiveStore store;
        private final Map<String, DataSource> databases = new LinkedHashMap<>();
        private Duration sealInterval = DEFAULT_SEAL_INTERVAL;
        private Duration maxRetryDelay;
        private int maxSegmentChanges = DEFAULT_MAX_SEGMENT_CHANGES;
        private int maxManifestSegments = DEFAULT_MAX_MANIFEST_SEGMENTS;
        private InstantSource clock = InstantSource.system();

        private Builder(ArchiveStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /**
         * Archives the database behind {@code dataSource} under {@code name} (lower-case letters,
         * digits, '-'; the archive's folder for it). Its journal must be installed.
         */
        public Builder database(String name, DataSource dataSource) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(dataSource, "dataSource");
            if (!name.matches("[a-z][a-z0-9-]{0,62}")) {
                throw new IllegalArgumentException(
                        "database name must be lower-case letters, digits and '-', but was '" + name + "'");
            }
            if (databases.putIfAbsent(name, dataSource) != null) {
                throw new IllegalArgumentException("database '" + name + "' is added twice");
            }
            return this;
        }

        /** The most time between a commit and the seal that ships it; at least 10 ms, 1 s by default. */
        public Builder sealInterval(Duration interval) {
            this.sealInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * The longest wait between retries while archiving fails: the wait starts at the seal interval
         * and doubles per failed seal up to this. At least the seal interval; by default 30 s (or the
         * seal interval, if that is longer).
         */
        public Builder maxRetryDelay(Duration delay) {
            this.maxRetryDelay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        /** The most changes in one segment; a busier interval ships several. 1..1,000,000, 10,000 by default. */
        public Builder maxSegmentChanges(int changes) {
            this.maxSegmentChanges = changes;
            return this;
        }

        /** Segments the manifest lists before they move into a list file; at least 1, 1,000 by default. */
        public Builder maxManifestSegments(int segments) {
            this.maxManifestSegments = segments;
            return this;
        }

        /** The clock that stamps base backups; the system clock by default. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @throws IllegalArgumentException for a setting out of range
         * @throws IllegalStateException if no database was added
         */
        public JournalArchiver build() {
            if (databases.isEmpty()) {
                throw new IllegalStateException("add at least one database to archive");
            }
            if (sealInterval.compareTo(Duration.ofMillis(10)) < 0) {
                throw new IllegalArgumentException("sealInterval must be at least 10 ms, but was " + sealInterval);
            }
            if (maxRetryDelay == null) {
                maxRetryDelay =
                        sealInterval.compareTo(DEFAULT_MAX_RETRY_DELAY) > 0 ? sealInterval : DEFAULT_MAX_RETRY_DELAY;
            }
            if (maxRetryDelay.compareTo(sealInterval) < 0) {
                throw new IllegalArgumentException("maxRetryDelay must be at least the seal interval (" + sealInterval
                        + "), but was " + maxRetryDelay);
            }
            if (maxSegmentChanges < 1 || maxSegmentChanges > 1_000_000) {
                throw new IllegalArgumentException(
                        "maxSegmentChanges must be 1..1000000, but was " + maxSegmentChanges);
            }
            if (maxManifestSegments < 1) {
                throw new IllegalArgumentException(
                        "maxManifestSegments must be at least 1, but was " + maxManifestSegments);
            }
            return new JournalArchiver(this);
        }
    }
}
