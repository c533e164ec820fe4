package io.valerix.core.backup;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.backup.internal.Lsn;
import io.valerix.core.backup.internal.Manifest;
import io.valerix.core.backup.internal.PgBaseBackup;
import io.valerix.core.backup.internal.PgTools;
import io.valerix.core.backup.internal.Sha256;
import io.valerix.core.backup.internal.Trees;
import io.valerix.core.backup.internal.WalReceiver;
import io.valerix.core.backup.internal.WalShipper;
import io.valerix.core.health.HealthCheck;
import io.valerix.core.jdbc.PostgresBinaries;
import io.valerix.core.jdbc.PostgresCluster;
import io.valerix.core.jdbc.PostgresDatabase;
import io.valerix.core.time.NanoClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous archiving of a PostgreSQL cluster with PostgreSQL's own machinery: {@code
 * pg_receivewal} streams the WAL through a physical replication slot into a local spool, and
 * every {@link Builder#sealInterval(Duration) seal interval} (500 ms) the bytes received since the
 * last seal go into the {@link ArchiveStore} as checksummed chunks listed in {@code
 * <name>/manifest.json}; {@link #takeBaseBackup()} runs {@code pg_basebackup} (with its {@code
 * backup_manifest}) into the same archive. No application journal is written: the database's own
 * WAL is the archive. {@link PointInTimeRestore} recovers such an archive with {@code
 * recovery_target_time}.
 *
 * <pre>{@code
 * WalArchiver archiver = WalArchiver.builder(ArchiveStore.directory(archive), "postgres")
 *     .cluster(cluster)                     // or .server(host, port, user, password)
 *     .spool(dataDir.resolve("wal-spool"))
 *     .database("orders", ordersDataSource)  // for digests (verify)
 *     .build()
 *     .start();
 * }</pre>
 *
 * <p><b>Why streaming and not {@code archive_command}.</b> With {@code archive_command}, a
 * recovery point of 1 s needs {@code archive_timeout = 1s}, which forces a segment switch every
 * second: 16 MB written and archived per second of activity, whatever the traffic; it also needs
 * the server's configuration changed and, for {@code archive_mode}, a restart. {@code
 * pg_receivewal} receives each commit within milliseconds over an ordinary replication
 * connection (it works on a server Valerix does not run, given a role with REPLICATION), and the
 * archiver ships only the bytes written.
 *
 * <p><b>Recovery point.</b> A commit is archived once it reached the spool (milliseconds, the
 * receiver fsyncs with {@code --synchronous}) and the next seal shipped it: at most the seal
 * interval plus the time a seal takes. A graceful {@link #close()} ships everything.
 *
 * <p>The slot keeps the server from removing WAL the receiver has not got; drop it ({@code
 * pg_drop_replication_slot}) when archiving stops for good, or the server's {@code pg_wal} grows.
 * One archiver per cluster and archive; thread-safe; the caller owns the data sources it adds.
 */
public final class WalArchiver implements ContinuousArchiver {

    private static final Logger log = LoggerFactory.getLogger(WalArchiver.class);
    private static final DateTimeFormatter COMPACT =
            DateTimeFormatter.ofPattern("uuuuMMdd't'HHmmss'z'").withZone(ZoneOffset.UTC);

    /**
     * The default time between seals. The recovery point is at most this plus the time a seal
     * takes, so half a second keeps it within the 1 s objective with room for a slow seal.
     */
    public static final Duration DEFAULT_SEAL_INTERVAL = Duration.ofMillis(500);
    /** The default replication slot name. */
    public static final String DEFAULT_SLOT = "valerix_wal_archive";

    private final ArchiveStore store;
    private final String name;
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final Path spool;
    private final String slot;
    private final Duration sealInterval;
    private final int maxManifestSegments;
    private final InstantSource clock;
    private final Map<String, DataSource> databases;
    private final PgTools tools;
    private final Object lifecycle = new Object();
    private HikariDataSource admin;
    private volatile WalShipper shipper;
    private WalReceiver receiver;
    private long walSegmentBytes;
    private ScheduledExecutorService scheduler;
    private boolean closed;
    /** The current run of failed seals, null while archiving succeeds. */
    private volatile FailureRun failures;

    private volatile Instant nextSealAt;

    private record FailureRun(int seals, Instant since) {}

    private WalArchiver(Builder builder) {
        this.store = builder.store;
        this.name = builder.name;
        this.host = builder.host;
        this.port = builder.port;
        this.user = builder.user;
        this.password = builder.password;
        this.spool = builder.spool.toAbsolutePath().normalize();
        this.slot = builder.slot;
        this.sealInterval = builder.sealInterval;
        this.maxManifestSegments = builder.maxManifestSegments;
        this.clock = builder.clock;
        this.databases = new LinkedHashMap<>(builder.databases);
        this.tools = new PgTools(builder.binaries != null ? builder.binaries : PostgresBinaries.require());
    }

    /** Archives a cluster into {@code store} under {@code name} (lower-case letters, digits, '-'). */
    public static Builder builder(ArchiveStore store, String name) {
        return new Builder(store, name);
    }

    /**
     * Creates the replication slot if missing, starts {@code pg_receivewal} and the seals.
     *
     * @throws BackupException if the server cannot be reached or refuses replication
     * @throws IllegalStateException if already started or closed
     */
    public WalArchiver start() {
        synchronized (lifecycle) {
            if (scheduler != null || closed) {
                throw new IllegalStateException("the archiver was already started");
            }
            admin = PostgresDatabase.open("jdbc:postgresql://" + host + ":" + port + "/postgres", user, password, 2);
            try (Connection connection = admin.getConnection()) {
                walSegmentBytes = queryLong(connection, "SELECT pg_size_bytes(current_setting('wal_segment_size'))");
                try (PreparedStatement create = connection.prepareStatement(
                        "SELECT pg_create_physical_replication_slot(?, true) WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = ?)")) {
                    create.setString(1, slot);
                    create.setString(2, slot);
                    create.execute();
                }
                Files.createDirectories(spool);
                shipper = new WalShipper(name, admin, store, spool, slot, walSegmentBytes, maxManifestSegments, clock);
                receiver = new WalReceiver(tools, host, port, user, password, slot, spool);
                receiver.ensureRunning();
            } catch (SQLException | IOException | RuntimeException e) {
                admin.close();
                throw new BackupException(
                        "archiving the WAL of " + host + ":" + port + " as '" + name + "' cannot start: "
                                + e.getMessage(),
                        e);
            }
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "wal-archiver");
                thread.setDaemon(true);
                return thread;
            });
            long period = sealInterval.toNanos();
            scheduler.scheduleWithFixedDelay(this::sealQuietly, period, period, TimeUnit.NANOSECONDS);
            log.info(
                    "archiving the WAL of {}:{} to {} as '{}' every {} ms (pg_receivewal, slot {})",
                    host,
                    port,
                    store.location(),
                    name,
                    sealInterval.toMillis(),
                    slot);
            return this;
        }
    }

    /**
     * Waits (at most 30 s) until the receiver has everything the server has flushed now, then ships it.
     */
    @Override
    public Map<String, Long> sealNow() {
        WalShipper running = running();
        try {
            long wanted = running.serverFlush();
            long deadline =
                    NanoClock.system().nanoTime() + Duration.ofSeconds(30).toNanos();
            while (running.receivedPosition() < wanted) {
                receiver();
                if (NanoClock.system().nanoTime() > deadline) {
                    throw new BackupException("pg_receivewal has not received WAL position " + Lsn.format(wanted)
                            + " of '" + name + "' within 30 s: " + receiverLog());
                }
                Thread.sleep(10);
            }
            return Map.of(name, running.ship());
        } catch (SQLException | IOException e) {
            throw new BackupException("archiving the WAL of '" + name + "' failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupException("interrupted while archiving the WAL of '" + name + "'", e);
        }
    }

    /**
     * Takes an online base backup of the whole cluster with {@code pg_basebackup} into the archive
     * and lists it in the manifest; costs no call to the backup service. Writers and archiving go on.
     *
     * @throws BackupException if pg_basebackup or the archive fails
     */
    public BaseBackupInfo takeBaseBackup() {
        WalShipper running = running();
        Path work = null;
        try {
            work = Files.createTempDirectory("valerix-pgbase-");
            PgBaseBackup.Taken taken = PgBaseBackup.take(tools, host, port, user, password, walSegmentBytes, work);
            Instant takenAt = clock.instant();
            long end = taken.description().endLsn();
            String baseName =
                    String.format("%s/base/%016x-%s%s", name, end, COMPACT.format(takenAt), PgBaseBackup.SUFFIX);
            // As on H2, a base "covers" up to its last position and needs the segments past it: here
            // the last WAL byte it holds (its end LSN - 1), so retention treats both engines alike.
            BaseBackupInfo base = new BaseBackupInfo(
                    name, baseName, end - 1, takenAt, takenAt, Sha256.of(taken.zip()), Files.size(taken.zip()));
            store.putFile(baseName, taken.zip());
            running.manifest().recordBase(base);
            log.info(
                    "base backup of '{}' (pg_basebackup) is consistent at WAL position {}: {} ({} bytes)",
                    name,
                    Lsn.format(end),
                    baseName,
                    base.bytes());
            return base;
        } catch (IOException e) {
            throw new BackupException("the base backup of '" + name + "' failed: " + e.getMessage(), e);
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

    /** {@link #takeBaseBackup()}: one base backup holds the whole cluster. */
    @Override
    public List<BaseBackupInfo> takeBaseBackups() {
        return List.of(takeBaseBackup());
    }

    /** Whether the archive lists a base backup of the cluster, so a restore has a place to start. */
    public boolean hasBaseBackup() {
        try {
            return !running().manifest().snapshot().baseBackups.isEmpty();
        } catch (IOException e) {
            throw new BackupException(
                    "reading the manifest of '" + name + "' from " + store.location() + " failed: " + e.getMessage(),
                    e);
        }
    }

    /**
     * This archiver as a {@link BaseBackupTaker}, whose one database is the cluster, archived as
     * {@link #name()}: a base backup holds the whole cluster. ({@link #databases()} names the
     * databases whose digests the admin routes serve, which is another list, so the archiver does
     * not implement the interface itself.)
     */
    public BaseBackupTaker baseBackupTaker() {
        WalArchiver archiver = this;
        return new BaseBackupTaker() {
            @Override
            public List<String> databases() {
                return List.of(name);
            }

            @Override
            public boolean hasBaseBackup(String database) {
                requireCluster(database);
                return archiver.hasBaseBackup();
            }

            @Override
            public BaseBackupInfo takeBaseBackup(String database) {
                requireCluster(database);
                return archiver.takeBaseBackup();
            }
        };
    }

    private void requireCluster(String database) {
        if (!name.equals(database)) {
            throw new BackupException(
                    "'" + database + "' is not archived here; this archiver archives the cluster as '" + name + "'");
        }
    }

    /**
     * Retention on the cluster's archive: removes the base backups and WAL chunks that no restore to
     * an instant within the last {@code keep} (by this archiver's clock) needs; see {@link
     * ArchiveRetention}. Archiving goes on meanwhile.
     *
     * @return one entry, for the cluster
     */
    @Override
    public List<PrunedArchive> prune(Duration keep) {
        Instant keepFrom = ArchiveRetention.keepFrom(keep, clock);
        try {
            return List.of(running().manifest().retain(keepFrom));
        } catch (IOException e) {
            throw new BackupException("pruning the archive of '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    /**
     * One entry, for the cluster: {@code journalSeq} is the server's WAL flush position now and
     * {@code archivedSeq} the archive's end (the last archived WAL byte + 1), both as numbers;
     * their difference is the WAL not yet archived, in bytes.
     */
    @Override
    public List<JournalArchiver.DatabaseStatus> status() {
        WalShipper running = running();
        long flush = -1;
        String error = running.lastError();
        try {
            flush = running.serverFlush();
        } catch (SQLException e) {
            error = error != null ? error : "reading the server's WAL position failed: " + e.getMessage();
        }
        try {
            Manifest manifest = running.manifest().snapshot();
            long archivedEnd = manifest.hasSegments() ? manifest.lastSeq() + 1 : 0;
            long unarchived = flush < 0 ? -1 : Math.max(0, flush - archivedEnd);
            FailureRun run = failures;
            return List.of(new JournalArchiver.DatabaseStatus(
                    name,
                    flush,
                    archivedEnd,
                    manifest.lastAt(),
                    manifest.baseBackups.size(),
                    running.lastSuccess(),
                    error,
                    unarchived,
                    run == null ? 0 : run.seals(),
                    run == null ? null : run.since(),
                    nextSealAt));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the manifest of '" + name + "' failed", e);
        }
    }

    @Override
    public List<String> databases() {
        return List.copyOf(databases.keySet());
    }

    /** A digest of {@code database} at a WAL position; see {@link DatabaseDigest}. */
    @Override
    public DatabaseDigest digest(String database) {
        DataSource dataSource = databases.get(Objects.requireNonNull(database, "database"));
        if (dataSource == null) {
            throw new BackupException("database '" + database + "' has no digest here; known: " + databases.keySet());
        }
        return DatabaseDigest.of(database, dataSource);
    }

    @Override
    public ArchiveStore store() {
        return store;
    }

    /** The archive's name for this cluster. */
    public String name() {
        return name;
    }

    /**
     * A view for one service: the same archive and base backups, digests of {@code database} only.
     * Closing the view does nothing; the archiver's owner closes the archiver.
     */
    public ContinuousArchiver serving(String database) {
        if (!databases.containsKey(database)) {
            throw new IllegalArgumentException(
                    "database '" + database + "' was not added; known: " + databases.keySet());
        }
        WalArchiver archiver = this;
        return new ContinuousArchiver() {
            @Override
            public List<BaseBackupInfo> takeBaseBackups() {
                return archiver.takeBaseBackups();
            }

            @Override
            public Map<String, Long> sealNow() {
                return archiver.sealNow();
            }

            @Override
            public List<PrunedArchive> prune(Duration keep) {
                return archiver.prune(keep);
            }

            @Override
            public List<JournalArchiver.DatabaseStatus> status() {
                return archiver.status();
            }

            @Override
            public List<String> databases() {
                return List.of(database);
            }

            @Override
            public DatabaseDigest digest(String name) {
                return archiver.digest(name);
            }

            @Override
            public ArchiveStore store() {
                return archiver.store();
            }

            @Override
            public void close() {}
        };
    }

    /**
     * Stops the seals, ships what the server has flushed (waiting for the receiver, at most 30 s),
     * stops {@code pg_receivewal}; the slot stays, so a restart goes on where this stopped. Idempotent.
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
                    log.warn("the WAL archiver's last seal did not finish within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                sealNow();
            } catch (RuntimeException e) {
                log.warn("the last seal of '{}' failed: {}", name, e.getMessage());
            } finally {
                receiver.close();
                admin.close();
            }
        }
    }

    private void sealQuietly() {
        boolean wasFailing = shipper.lastError() != null;
        try {
            receiver();
            shipper.ship();
            failures = null;
        } catch (SQLException | IOException | RuntimeException e) {
            shipper.failed(e.getMessage());
            FailureRun run = failures;
            failures = run == null ? new FailureRun(1, clock.instant()) : new FailureRun(run.seals() + 1, run.since());
            if (!wasFailing) {
                log.warn(
                        "archiving the WAL of '{}' failed; retrying every {} ms: {}",
                        name,
                        sealInterval.toMillis(),
                        e.toString());
            }
        } finally {
            nextSealAt = clock.instant().plus(sealInterval);
        }
    }

    /**
     * A check for {@code /health}, answered from memory: DOWN while seals fail, saying since when,
     * how often and the latest error; UP with the time of the last successful seal otherwise.
     * Register it as an advisory check, as {@link JournalArchiver#healthCheck()}.
     */
    public HealthCheck healthCheck() {
        return () -> {
            FailureRun run = failures;
            WalShipper current = shipper;
            if (run != null && current != null) {
                return HealthCheck.Result.down("archiving the WAL of '" + name + "' to " + store.location()
                        + " fails since " + run.since() + " (" + run.seals()
                        + (run.seals() == 1 ? " attempt" : " attempts") + "): " + current.lastError());
            }
            Instant lastSuccess = current == null ? null : current.lastSuccess();
            return lastSuccess == null
                    ? HealthCheck.Result.up("not archived yet")
                    : HealthCheck.Result.up("archived at " + lastSuccess);
        };
    }

    private void receiver() throws IOException {
        if (!receiver.ensureRunning()) {
            throw new BackupException("pg_receivewal had stopped and was restarted: " + receiverLog());
        }
    }

    private String receiverLog() {
        return receiver.logTail();
    }

    private WalShipper running() {
        synchronized (lifecycle) {
            if (shipper == null) {
                throw new IllegalStateException("start the archiver first");
            }
            return shipper;
        }
    }

    private static long queryLong(Connection connection, String sql) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql);
                ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Builds a {@link WalArchiver}; not thread-safe; validated in {@link #build()}. */
    public static final class Builder {
        private final ArchiveStore store;
        private final String name;
        private final Map<String, DataSource> databases = new LinkedHashMap<>();
        private String host;
        private int port;
        private String user;
        private String password;
        private Path spool;
        private String slot = DEFAULT_SLOT;
        private PostgresBinaries binaries;
        private Duration sealInterval = DEFAULT_SEAL_INTERVAL;
        private int maxManifestSegments = JournalArchiver.DEFAULT_MAX_MANIFEST_SEGMENTS;
        private InstantSource clock = InstantSource.system();

        private Builder(ArchiveStore store, String name) {
            this.store = Objects.requireNonNull(store, "store");
            Objects.requireNonNull(name, "name");
            if (!name.matches("[a-z][a-z0-9-]{0,62}")) {
                throw new IllegalArgumentException(
                        "name must be lower-case letters, digits and '-', but was '" + name + "'");
            }
            this.name = name;
        }

        /** The server to archive; the role needs REPLICATION (a superuser has it). */
        public Builder server(String host, int port, String user, String password) {
            this.host = Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, but was " + port);
            }
            this.port = port;
            this.user = Objects.requireNonNull(user, "user");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** A private cluster: its address, superuser and binaries. */
        public Builder cluster(PostgresCluster cluster) {
            Objects.requireNonNull(cluster, "cluster");
            return server("127.0.0.1", cluster.port(), PostgresCluster.SUPERUSER, cluster.password());
        }

        /** The local directory pg_receivewal writes into; keep it across restarts (it resumes from there). */
        public Builder spool(Path directory) {
            this.spool = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** The replication slot; {@value #DEFAULT_SLOT} by default. */
        public Builder slot(String slot) {
            this.slot = Objects.requireNonNull(slot, "slot");
            return this;
        }

        /** The PostgreSQL client binaries; found as {@link PostgresBinaries#require()} finds them by default. */
        public Builder binaries(PostgresBinaries binaries) {
            this.binaries = Objects.requireNonNull(binaries, "binaries");
            return this;
        }

        /** A database of the cluster whose {@link DatabaseDigest} the admin routes serve, under {@code name}. */
        public Builder database(String name, DataSource dataSource) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(dataSource, "dataSource");
            if (databases.putIfAbsent(name, dataSource) != null) {
                throw new IllegalArgumentException("database '" + name + "' is added twice");
            }
            return this;
        }

        /** The most time between a commit reaching the spool and the seal that ships it; at least 10 ms, 500 ms by default. */
        public Builder sealInterval(Duration interval) {
            this.sealInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** Chunks the manifest lists before they move into a list file; at least 1, 1,000 by default. */
        public Builder maxManifestSegments(int segments) {
            this.maxManifestSegments = segments;
            return this;
        }

        /** The clock that stamps chunks and base backups; the system clock by default. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @throws IllegalStateException without a server or a spool directory
         * @throws IllegalArgumentException for a setting out of range
         */
        public WalArchiver build() {
            if (host == null) {
                throw new IllegalStateException("set the server (server(...) or cluster(...))");
            }
            if (spool == null) {
                throw new IllegalStateException("set the spool directory");
            }
            if (!slot.matches("[a-z0-9_]{1,63}")) {
                throw new IllegalArgumentException(
                        "slot must be lower-case letters, digits and '_', but was '" + slot + "'");
            }
            if (sealInterval.compareTo(Duration.ofMillis(10)) < 0) {
                throw new IllegalArgumentException("sealInterval must be at least 10 ms, but was " + sealInterval);
            }
            if (maxManifestSegments < 1) {
                throw new IllegalArgumentException(
                        "maxManifestSegments must be at least 1, but was " + maxManifestSegments);
            }
            return new WalArchiver(this);
        }
    }
}
