package io.valerix.harness.backup;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.BackupAdmin;
import io.valerix.core.backup.BaseBackupInfo;
import io.valerix.core.backup.BaseBackupTaker;
import io.valerix.core.backup.ChangeJournal;
import io.valerix.core.backup.JournalArchiver;
import io.valerix.core.backup.PointInTimeRestore;
import io.valerix.core.http.JsonServer;
import io.valerix.core.service.ServiceKit;
import io.valerix.harness.ServiceDatabases;
import io.valerix.harness.Storage;
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
 * <p>The journal and its archivers are for H2. On PostgreSQL the services write no journal and
 * nothing is archived here: continuous archiving there is PostgreSQL's own WAL archiving and
 * {@code pg_basebackup}, set up on the server; the backup admin routes are then absent.
 */
public final class ServiceArchiving implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ServiceArchiving.class);

  /** The archive's name for the inventory database (also its H2 file name and its PostgreSQL database name). */
  public static final String INVENTORY = InventoryServer.DATABASE_NAME;
  /** The archive's name for the order database (also its H2 file name). */
  public static final String ORDERS = OrderServer.DATABASE_NAME;
  /** Both databases, in the order a restore builds them. */
  public static final List<String> DATABASES = List.of(ORDERS, INVENTORY);

  private final ArchiveLocation.Opened opened;
  private final ArchiveStore archive;
  private final ChangeJournal journal;
  private final ServiceDatabases databases;
  private final HikariDataSource inventoryDatabase;
  private final HikariDataSource ordersDatabase;
  private final JournalArchiver inventoryArchiver;
  private final JournalArchiver orderArchiver;

  private ServiceArchiving(ServiceDatabases databases, ArchiveLocation.Opened opened, Duration sealInterval) {
    this.databases = databases;
    this.opened = opened;
    this.archive = opened.store();
    this.inventoryDatabase = databases.inventory();
    this.ordersDatabase = databases.orders();
    if (databases.engine() == Storage.Engine.H2) {
      this.journal = ChangeJournal.on(InstantSource.system());
      this.inventoryArchiver = JournalArchiver.builder(archive).database(INVENTORY, inventoryDatabase).sealInterval(sealInterval).build();
      this.orderArchiver = JournalArchiver.builder(archive).database(ORDERS, ordersDatabase).sealInterval(sealInterval).build();
    } else {
      this.journal = ChangeJournal.off();
      this.inventoryArchiver = null;
      this.orderArchiver = null;
    }
  }

  /** Opens the two H2 databases under {@code dataDir}, archiving to {@code archiveDir} every second. */
  public static ServiceArchiving open(Path dataDir, Path archiveDir) {
    return open(dataDir, archiveDir, JournalArchiver.DEFAULT_SEAL_INTERVAL);
  }

  /** As {@link #open(Path, Path)}, sealing every {@code sealInterval}. */
  public static ServiceArchiving open(Path dataDir, Path archiveDir, Duration sealInterval) {
    return open(Storage.h2(), dataDir, archiveDir, sealInterval);
  }

  /** Opens the databases {@code storage} names (H2: archived to {@code archiveDir}; PostgreSQL: not archived here). */
  public static ServiceArchiving open(Storage storage, Path dataDir, Path archiveDir, Duration sealInterval) {
    return open(storage, dataDir, ArchiveLocation.directory(Objects.requireNonNull(archiveDir, "archiveDir")), sealInterval);
  }

  /** Opens the databases {@code storage} names (H2: archived to {@code archive}; PostgreSQL: not archived here). */
  public static ServiceArchiving open(Storage storage, Path dataDir, ArchiveLocation archive, Duration sealInterval) {
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(archive, "archive");
    ServiceDatabases databases = storage.open(dataDir);
    ArchiveLocation.Opened opened = null;
    try {
      opened = archive.open();
      return new ServiceArchiving(databases, opened, sealInterval);
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

  /** True if writes are journaled and archived here (H2); false on PostgreSQL. */
  public boolean isArchiving() {
    return orderArchiver != null;
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
   * {@code /health} while archiving fails, without taking the service out of rotation. Nothing on
   * PostgreSQL.
   */
  public ServiceKit.Builder addInventoryHealth(ServiceKit.Builder kit) {
    if (inventoryArchiver != null) {
      kit.advisoryHealthCheck("archive", inventoryArchiver.healthCheck());
    }
    return kit;
  }

  /** As {@link #addInventoryHealth}, for the order archiver. */
  public ServiceKit.Builder addOrderHealth(ServiceKit.Builder kit) {
    if (orderArchiver != null) {
      kit.advisoryHealthCheck("archive", orderArchiver.healthCheck());
    }
    return kit;
  }

  /** Adds {@code /admin/backup/**} for the inventory database to the inventory server. */
  public void installInventoryRoutes(JsonServer.Builder server) {
    if (inventoryArchiver != null) {
      BackupAdmin.install(server, inventoryArchiver);
    }
  }

  /** Adds {@code /admin/backup/**} for the order database to the order server. */
  public void installOrderRoutes(JsonServer.Builder server) {
    if (orderArchiver != null) {
      BackupAdmin.install(server, orderArchiver);
    }
  }

  /**
   * Starts both archivers, then takes a local base backup of every database whose archive has
   * none yet ({@link BaseBackupTaker#takeMissingBaseBackups()}), so a restore works from the first
   * minute. That costs no call to the backup service: the day's call stays for {@code valerix
   * backup}. Call once the services have created their tables.
   *
   * @throws io.valerix.core.backup.BackupException if archiving cannot start or the base backup
   *     fails: a service that could not be restored should not pretend it could
   */
  public void start() {
    if (isArchiving()) {
      inventoryArchiver.start();
      orderArchiver.start();
    }
    for (BaseBackupTaker taker : baseBackupTakers()) {
      for (BaseBackupInfo base : taker.takeMissingBaseBackups()) {
        log.info("the archive had no base backup of '{}'; took one locally at start (no backup call): {}", base.database(), base.name());
      }
    }
  }

  /**
   * Who takes this engine's local base backups: the journal archivers on H2. On PostgreSQL none
   * yet; a {@code pg_basebackup} taker into the same archive plugs in here.
   */
  private List<BaseBackupTaker> baseBackupTakers() {
    return isArchiving() ? List.of(inventoryArchiver, orderArchiver) : List.of();
  }

  /** Ships what is left, then closes the databases. Call after the services stopped. */
  @Override
  public void close() {
    try {
      if (isArchiving()) {
        try {
          orderArchiver.close();
        } finally {
          inventoryArchiver.close();
        }
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
