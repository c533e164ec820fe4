package io.valerix.harness.services;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.backup.ArchiveManifest;
import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.BackupAdmin;
import io.valerix.core.backup.BaseBackupInfo;
import io.valerix.core.backup.BaseBackupTaker;
import io.valerix.core.backup.ContinuousArchiver;
import io.valerix.core.backup.JournalArchiver;
import io.valerix.core.backup.PointInTimeRestore;
import io.valerix.core.backup.WalArchiver;
import io.valerix.core.http.JsonServer;
import io.valerix.core.journal.ChangeJournal;
import io.valerix.core.service.ServiceKit;
import io.valerix.inventory.InventoryServer;
import io.valerix.order.OrderServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backup as the harness runs it: both services' databases opened here (so the archivers can reach
 * them), one {@link ChangeJournal} that both services write through, and one {@link
 * JournalArchiver} per service shipping to one archive (a directory, or an S3-compatible bucket:
 * {@link ArchiveLocation}), with the archiver's admin routes and its advisory {@code archive}
 * health check on each service.
 *
 * <p>Lifecycle: {@link #open} opens the databases; the services are built on them; {@link #start()}
 * starts archiving once the services have set up their schemas; {@link #close()} (after the
 * services stopped) ships what is left and closes the databases. Who opens it closes it.
 *
 * <p>The journal and its archivers are for H2. On PostgreSQL the services write no journal: on the
 * private cluster, one {@link WalArchiver} streams the cluster's own WAL (pg_receivewal) into the
 * same archive, under the name {@value #CLUSTER}, and takes pg_basebackup base backups; both
 * services serve its admin routes (each the digest of its own database) and its advisory health
 * check, and it is the engine's {@link BaseBackupTaker} at start. On an existing server
 * nothing is archived here (run PostgreSQL's own archiving there) and the admin routes are absent.
 */
public final class ServiceArchiving implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceArchiving.class);

    /** The archive's name for the inventory database (also its H2 file name and its PostgreSQL database name). */
    public static final String INVENTORY = InventoryServer.DATABASE_NAME;
    /** The archive's name for the order database (also its H2 file name). */
    public static final String ORDERS = OrderServer.DATABASE_NAME;
    /** Both databases, in the order a restore builds them. */
    public static final List<String> DATABASES = List.of(ORDERS, INVENTORY);
    /** The archive's name for the private PostgreSQL cluster, which holds both databases (also its directory). */
    public static final String CLUSTER = Storage.CLUSTER_DIRECTORY;

    private final ArchiveLocation.Opened opened;
    private final ArchiveStore archive;
    private final ChangeJournal journal;
    private final ServiceDatabases databases;
    private final HikariDataSource inventoryDatabase;
    private final HikariDataSource ordersDatabase;
    private final JournalArchiver inventoryArchiver;
    private final JournalArchiver orderArchiver;
    private final WalArchiver clusterArchiver;

    private ServiceArchiving(
            ServiceDatabases databases, Path dataDir, ArchiveLocation.Opened opened, Duration sealInterval) {
        this.databases = databases;
        this.opened = opened;
        this.archive = opened.store();
        this.inventoryDatabase = databases.inventory();
        this.ordersDatabase = databases.orders();
        if (databases.engine() == Storage.Engine.H2) {
            this.journal = ChangeJournal.on(InstantSource.system());
            this.inventoryArchiver = JournalArchiver.builder(archive)
                    .database(INVENTORY, inventoryDatabase)
                    .sealInterval(sealInterval)
                    .build();
            this.orderArchiver = JournalArchiver.builder(archive)
                    .database(ORDERS, ordersDatabase)
                    .sealInterval(sealInterval)
                    .build();
            this.clusterArchiver = null;
        } else {
            this.journal = ChangeJournal.off();
            this.inventoryArchiver = null;
            this.orderArchiver = null;
            this.clusterArchiver = databases.cluster() == null
                    ? null
                    : WalArchiver.builder(archive, CLUSTER)
                            .cluster(databases.cluster())
                            .spool(dataDir.resolve(Storage.CLUSTER_DIRECTORY).resolve("wal-spool"))
                            .database(ORDERS, ordersDatabase)
                            .database(INVENTORY, inventoryDatabase)
                            // At most the WAL archiver's own default, which keeps the recovery point within 1 s.
                            .sealInterval(
                                    sealInterval.compareTo(WalArchiver.DEFAULT_SEAL_INTERVAL) < 0
                                            ? sealInterval
                                            : WalArchiver.DEFAULT_SEAL_INTERVAL)
                            .build();
        }
    }

    /** Opens the two H2 databases under {@code dataDir}, archiving to {@code archiveDir} every second. */
    public static ServiceArchiving open(Path dataDir, Path archiveDir) {
        return open(dataDir, archiveDir, JournalArchiver.DEFAULT_SEAL_INTERVAL);
    }

    /** As {@link #open(Path, Path)}, sealing every {@code sealInterval} (on PostgreSQL at most {@link WalArchiver#DEFAULT_SEAL_INTERVAL}). */
    public static ServiceArchiving open(Path dataDir, Path archiveDir, Duration sealInterval) {
        return open(Storage.h2(), dataDir, archiveDir, sealInterval);
    }

    /**
     * Opens the databases {@code storage} names, archived to {@code archiveDir}: H2 through the
     * journal, a private PostgreSQL cluster through its WAL; an existing PostgreSQL server is not
     * archived here.
     */
    public static ServiceArchiving open(Storage storage, Path dataDir, Path archiveDir, Duration sealInterval) {
        return open(
                storage,
                dataDir,
                ArchiveLocation.directory(Objects.requireNonNull(archiveDir, "archiveDir")),
                sealInterval);
    }

    /**
     * Opens the databases {@code storage} names, archived to {@code archive} (a directory or a bucket):
     * H2 through the journal, a private PostgreSQL cluster through its WAL; an existing PostgreSQL
     * server is not archived here.
     */
    public static ServiceArchiving open(Storage storage, Path dataDir, ArchiveLocation archive, Duration sealInterval) {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(archive, "archive");
        ServiceDatabases databases = storage.open(dataDir);
        ArchiveLocation.Opened opened = null;
        try {
            opened = archive.open();
            return new ServiceArchiving(databases, dataDir, opened, sealInterval);
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            databases.close();
            throw e;
        }
    }

    /** The databases and, on a private cluster, the cluster. */
    public ServiceDatabases databases() {
        return databases;
    }

    /** True if writes are archived here: H2 (journal) or the private PostgreSQL cluster (WAL). */
    public boolean isArchiving() {
        return orderArchiver != null || clusterArchiver != null;
    }

    /**
     * The archivers running here, each once (H2: one per database; PostgreSQL: one for the
     * cluster): for example to take local base backups at start, which costs no backup call.
     */
    public List<ContinuousArchiver> archivers() {
        if (clusterArchiver != null) {
            return List.of(clusterArchiver);
        }
        return orderArchiver == null ? List.of() : List.of(orderArchiver, inventoryArchiver);
    }

    /**
     * A position as people read it: "journal row 42" for an H2 database, "WAL position 0/3000148"
     * (PostgreSQL's own notation) for a cluster, whose positions are WAL positions.
     */
    public static String describePosition(String archivedName, long position) {
        if (CLUSTER.equals(archivedName)) {
            return String.format(java.util.Locale.ROOT, "WAL position %X/%X", position >>> 32, position & 0xFFFFFFFFL);
        }
        return "journal row " + position;
    }

    /** The private cluster's WAL archiver, or null on H2 and on an existing server. */
    public WalArchiver clusterArchiver() {
        return clusterArchiver;
    }

    /**
     * The databases an archive restores by name: {@value #CLUSTER} if it holds a PostgreSQL
     * cluster's archive (a cluster restores whole), else {@link #DATABASES}.
     */
    public static List<String> archivedDatabases(ArchiveStore archive) {
        return ArchiveManifest.read(archive, CLUSTER).isPresent() ? List.of(CLUSTER) : DATABASES;
    }

    /** The archive directory a data directory uses unless told otherwise: {@code <dataDir>/archive}. */
    public static Path defaultArchive(Path dataDir) {
        return dataDir.resolve("archive");
    }

    /**
     * A restore of the harness's databases: also raises the idempotency store's fencing-token
     * sequence past the tokens of the records replayed (sequences are not journaled).
     */
    public static PointInTimeRestore.Builder restore(ArchiveStore archive, List<String> databases) {
        PointInTimeRestore.Builder restore = PointInTimeRestore.builder(archive);
        databases.forEach(restore::database);
        if (databases.contains(ORDERS)) {
            restore.sequenceFloor(ORDERS, "idempotency_fencing_token", "idempotency_record", "fencing_token");
        }
        return restore;
    }

    public ChangeJournal journal() {
        return journal;
    }

    public HikariDataSource inventoryDatabase() {
        return inventoryDatabase;
    }

    public HikariDataSource ordersDatabase() {
        return ordersDatabase;
    }

    public JournalArchiver inventoryArchiver() {
        return inventoryArchiver;
    }

    public JournalArchiver orderArchiver() {
        return orderArchiver;
    }

    public ArchiveStore archive() {
        return archive;
    }

    /**
     * Adds the inventory archiver's advisory {@code archive} check to the service's kit: DOWN on
     * {@code /health} while archiving fails, without taking the service out of rotation. On the
     * private PostgreSQL cluster, the WAL archiver's check; nothing on an existing server.
     */
    public ServiceKit.Builder addInventoryHealth(ServiceKit.Builder kit) {
        if (inventoryArchiver != null) {
            kit.advisoryHealthCheck("archive", inventoryArchiver.healthCheck());
        } else if (clusterArchiver != null) {
            kit.advisoryHealthCheck("archive", clusterArchiver.healthCheck());
        }
        return kit;
    }

    /** As {@link #addInventoryHealth}, for the order archiver (on PostgreSQL the cluster's, as for inventory). */
    public ServiceKit.Builder addOrderHealth(ServiceKit.Builder kit) {
        if (orderArchiver != null) {
            kit.advisoryHealthCheck("archive", orderArchiver.healthCheck());
        } else if (clusterArchiver != null) {
            kit.advisoryHealthCheck("archive", clusterArchiver.healthCheck());
        }
        return kit;
    }

    /** Adds {@code /admin/backup/**} for the inventory database to the inventory server. */
    public void installInventoryRoutes(JsonServer.Builder server) {
        if (inventoryArchiver != null) {
            BackupAdmin.install(server, inventoryArchiver);
        } else if (clusterArchiver != null) {
            BackupAdmin.install(server, clusterArchiver.serving(INVENTORY));
        }
    }

    /** Adds {@code /admin/backup/**} for the order database to the order server. */
    public void installOrderRoutes(JsonServer.Builder server) {
        if (orderArchiver != null) {
            BackupAdmin.install(server, orderArchiver);
        } else if (clusterArchiver != null) {
            BackupAdmin.install(server, clusterArchiver.serving(ORDERS));
        }
    }

    /**
     * Starts archiving (both journal archivers on H2, the cluster's WAL archiver on PostgreSQL),
     * then takes a local base backup of every archived database whose archive has none yet ({@link
     * BaseBackupTaker#takeMissingBaseBackups()}), so a restore works from the first minute. That
     * costs no call to the backup service: the day's call stays for {@code valerix backup}. Call
     * once the services have created their tables.
     *
     * @throws io.valerix.core.backup.BackupException if archiving cannot start or the base backup
     *     fails: a service that could not be restored should not pretend it could
     */
    public void start() {
        if (orderArchiver != null) {
            inventoryArchiver.start();
            orderArchiver.start();
        } else if (clusterArchiver != null) {
            clusterArchiver.start();
        }
        for (BaseBackupTaker taker : baseBackupTakers()) {
            for (BaseBackupInfo base : taker.takeMissingBaseBackups()) {
                log.info(
                        "the archive had no base backup of '{}'; took one locally at start (no backup call): {}",
                        base.database(),
                        base.name());
            }
        }
    }

    /**
     * Who takes this engine's local base backups: the journal archivers on H2 ({@code BACKUP TO},
     * one per database); on the private PostgreSQL cluster, its WAL archiver ({@code pg_basebackup}
     * of the whole cluster, archived as {@value #CLUSTER}); nobody on an existing server.
     */
    List<BaseBackupTaker> baseBackupTakers() {
        if (clusterArchiver != null) {
            return List.of(clusterArchiver.baseBackupTaker());
        }
        return orderArchiver == null ? List.of() : List.of(inventoryArchiver, orderArchiver);
    }

    /** Ships what is left, then closes the databases. Call after the services stopped. */
    @Override
    public void close() {
        try {
            if (orderArchiver != null) {
                try {
                    orderArchiver.close();
                } finally {
                    inventoryArchiver.close();
                }
            } else if (clusterArchiver != null) {
                clusterArchiver.close();
            }
        } finally {
            try {
                databases.close();
            } finally {
                opened.close();
            }
        }
    }
}
