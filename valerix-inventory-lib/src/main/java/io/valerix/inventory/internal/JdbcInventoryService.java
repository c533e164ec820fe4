package io.valerix.inventory.internal;

import io.valerix.core.deadline.Deadline;
import io.valerix.core.http.ProblemType;
import io.valerix.core.jdbc.DeadlineBoundDataSource;
import io.valerix.core.jdbc.SchemaMigrations;
import io.valerix.core.jdbc.SqlDialect;
import io.valerix.core.journal.ChangeJournal;
import io.valerix.core.journal.JournaledTable;
import io.valerix.inventory.InventoryConfig;
import io.valerix.inventory.InventoryDeadlineException;
import io.valerix.inventory.InventoryProblems;
import io.valerix.inventory.InventoryService;
import io.valerix.inventory.InventoryStoreException;
import io.valerix.inventory.Reservation;
import io.valerix.inventory.ReservationStatus;
import io.valerix.inventory.StockLevel;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link InventoryService} on a JDBC data source.
 *
 * <p>A new reservation is one transaction: insert the row (the primary key on the order id lets
 * only one transaction through), then take the stock with one conditional update, and mark the
 * row REJECTED if that took nothing. The insert comes first so that a duplicate request blocks on
 * the key, and then fails, before it can touch the stock row.
 *
 * <p>With a {@link ChangeJournal} on, every transaction also captures the rows it wrote, last
 * (after its other writes, so the journal's counter lock is held only up to the commit); the
 * tombstone and seed inserts, auto-committed without a journal, then run in a transaction with
 * their capture.
 *
 * <p>A transaction that loses a race (a unique violation, or a deadlock or serialization failure
 * the database resolved by failing it) has changed nothing; the call re-reads and decides again,
 * a bounded number of times. Thread-safe and stateless apart from the data source.
 */
public final class JdbcInventoryService implements InventoryService {

    private static final Logger log = LoggerFactory.getLogger(JdbcInventoryService.class);
    private static final String SCHEMA = "inventory";
    /**
     * A lost race is settled by the winner's commit, so the second attempt normally decides; more
     * only happen if winners keep rolling back.
     */
    private static final int MAX_ATTEMPTS = 5;

    static final JournaledTable STOCK = JournaledTable.of("inventory_stock", "sku");
    static final JournaledTable RESERVATIONS = JournaledTable.of("inventory_reservation", "order_id");

    /**
     * The most a call without a deadline of its own waits for a connection (and a reserve without
     * one, for anything). It goes through the same gate as the reserves, so the pool itself never
     * makes a reserve wait.
     */
    private static final java.time.Duration UNBOUNDED_CALLS = java.time.Duration.ofSeconds(10);

    private final DeadlineBoundDataSource database;
    private final int maxQuantity;
    private final ChangeJournal journal;
    /** PostgreSQL with the journal off: a reserve is one statement (the journal captures in a transaction). */
    private final boolean reserveInOneStatement;

    private JdbcInventoryService(
            DataSource dataSource, int maxQuantity, ChangeJournal journal, boolean reserveInOneStatement) {
        this.database = DeadlineBoundDataSource.of(dataSource);
        this.maxQuantity = maxQuantity;
        this.journal = journal;
        this.reserveInOneStatement = reserveInOneStatement;
    }

    /** Migrates the schema, seeds missing SKUs, and returns the service; see {@link InventoryService#create}. */
    public static JdbcInventoryService open(DataSource dataSource, InventoryConfig config) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(config, "config");
        try {
            SchemaMigrations.migrate(dataSource, SCHEMA);
            config.changeJournal().install(dataSource);
        } catch (IllegalStateException e) {
            throw new InventoryStoreException("setting up the inventory schema failed: " + e.getMessage(), e);
        }
        boolean oneStatement;
        try {
            oneStatement = SqlDialect.of(dataSource) == SqlDialect.POSTGRESQL
                    && !config.changeJournal().isOn();
        } catch (SQLException e) {
            throw new InventoryStoreException("reading the inventory database's engine failed: " + e.getMessage(), e);
        }
        JdbcInventoryService service =
                new JdbcInventoryService(dataSource, config.maxQuantity(), config.changeJournal(), oneStatement);
        service.seed(config.initialStock());
        return service;
    }

    /** The reserve with a deadline of {@link #UNBOUNDED_CALLS}: one path for both. */
    @Override
    public Reservation reserve(String orderId, String sku, int quantity) {
        return reserve(orderId, sku, quantity, Deadline.after(UNBOUNDED_CALLS));
    }

    /**
     * The whole reserve is one statement (PostgreSQL, journal off) or one transaction, whose waits
     * end by {@code deadline}; a lost race starts again, within the same deadline.
     */
    @Override
    public Reservation reserve(String orderId, String sku, int quantity, Deadline deadline) {
        InventoryInput.requireOrderId(orderId);
        InventoryInput.requireSku(sku);
        InventoryInput.requireQuantity(quantity, maxQuantity);
        for (int attempt = 1; ; attempt++) {
            try {
                Reservation decided = reserveInOneStatement
                        ? reserveInOneStatement(orderId, sku, quantity, deadline)
                        : database.inTransaction(deadline, connection -> reserveIn(connection, orderId, sku, quantity));
                log.debug("reserve {} x {}: {}", quantity, sku, decided.status());
                return decided;
            } catch (SQLException e) {
                if (DeadlineBoundDataSource.isTimeout(e)) {
                    throw new InventoryDeadlineException(
                            "reserve " + orderId + " gave up at its deadline (budget "
                                    + deadline.budget().toMillis() + " ms): " + e.getMessage(),
                            e);
                }
                retryOrThrow(e, attempt, "reserve " + orderId);
            }
        }
    }

    @Override
    public Reservation release(String orderId) {
        InventoryInput.requireOrderId(orderId);
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = database.connection(Deadline.after(UNBOUNDED_CALLS))) {
                Reservation existing = InventorySql.findReservation(connection, orderId);
                if (existing == null) {
                    journal.write(
                            connection,
                            () -> InventorySql.insertTombstone(connection, orderId),
                            RESERVATIONS.row(orderId));
                    log.info(
                            "released before any reservation arrived: tombstone written, a late reserve takes nothing");
                    return new Reservation(orderId, null, 0, ReservationStatus.CANCELLED);
                }
                if (existing.status() != ReservationStatus.RESERVED) {
                    // RELEASED, CANCELLED or REJECTED: nothing is held, so nothing is given back.
                    return existing;
                }
                if (releaseReserved(connection, existing)) {
                    log.debug("released {} x {}", existing.quantity(), existing.sku());
                    return existing.withStatus(ReservationStatus.RELEASED);
                }
                // Another release got there first; the next attempt reads RELEASED.
            } catch (SQLException e) {
                // A reserve inserted the order id while we wrote the tombstone; re-read and release that.
                retryOrThrow(e, attempt, "release " + orderId);
            }
            if (attempt >= MAX_ATTEMPTS) {
                throw new InventoryStoreException("release " + orderId + " lost " + attempt + " races in a row", null);
            }
        }
    }

    @Override
    public Reservation find(String orderId) {
        InventoryInput.requireOrderId(orderId);
        try (Connection connection = database.connection(Deadline.after(UNBOUNDED_CALLS))) {
            Reservation found = InventorySql.findReservation(connection, orderId);
            return found == null ? Reservation.notFound(orderId) : found;
        } catch (SQLException e) {
            throw new InventoryStoreException("find " + orderId + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<StockLevel> stockLevel(String sku) {
        InventoryInput.requireSku(sku);
        try (Connection connection = database.connection(Deadline.after(UNBOUNDED_CALLS))) {
            return InventorySql.stockLevels(connection, sku).stream().findFirst();
        } catch (SQLException e) {
            throw new InventoryStoreException("reading the stock of " + sku + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<StockLevel> stockLevels() {
        try (Connection connection = database.connection(Deadline.after(UNBOUNDED_CALLS))) {
            return List.copyOf(InventorySql.stockLevels(connection, null));
        } catch (SQLException e) {
            throw new InventoryStoreException("reading the stock failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Reservation> reservations(String prefix, String after, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.isEmpty()) {
            InventoryInput.requireOrderId(prefix);
        }
        if (after != null) {
            InventoryInput.requireOrderId(after);
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw ProblemType.INVALID_REQUEST.exception("limit must be 1.." + MAX_PAGE + ", but was " + limit);
        }
        try (Connection connection = database.connection(Deadline.after(UNBOUNDED_CALLS))) {
            return List.copyOf(InventorySql.listReservations(connection, prefix, after, limit));
        } catch (SQLException e) {
            throw new InventoryStoreException("listing reservations failed: " + e.getMessage(), e);
        }
    }

    private Reservation answerRepeat(Reservation existing, String sku, int quantity) {
        if (existing.status() == ReservationStatus.CANCELLED) {
            log.info("reserve of {} x {} arrived after the order was cancelled; nothing taken", quantity, sku);
            return new Reservation(existing.orderId(), sku, quantity, ReservationStatus.CANCELLED);
        }
        if (!existing.sku().equals(sku) || existing.quantity() != quantity) {
            throw InventoryProblems.RESERVATION_CONFLICT.exception(
                    "order '" + existing.orderId() + "' already has a reservation of " + existing.quantity() + " x '"
                            + existing.sku() + "'; this request asks for " + quantity + " x '" + sku + "'");
        }
        return existing;
    }

    /**
     * One reserve in {@code connection}'s open transaction. The insert comes first, so a new order
     * (the usual case) costs two statements: the reservation row, then the stock it takes. Only when
     * the order id has a row already is it read, and the answer is the one that row gave.
     */
    private Reservation reserveIn(Connection connection, String orderId, String sku, int quantity) throws SQLException {
        boolean inserted;
        try {
            inserted = InventorySql.insertReservationIfAbsent(connection, orderId, sku, quantity);
        } catch (SQLException e) {
            if (SqlDialect.isForeignKeyViolation(e)) {
                throw InventoryProblems.UNKNOWN_SKU.exception("sku '" + sku + "' is not stocked");
            }
            throw e;
        }
        if (!inserted) {
            Reservation existing = InventorySql.findReservation(connection, orderId);
            if (existing == null) {
                // Only a row deleted between the two statements; rows are never deleted, so this is a race to retry.
                throw new SQLException("the reservation of " + orderId + " vanished after a conflict", "40001");
            }
            return answerRepeat(existing, sku, quantity);
        }
        boolean taken = InventorySql.takeStock(connection, sku, quantity);
        if (!taken) {
            // Recorded, not just answered: a retry must get REJECTED even if stock comes back later.
            InventorySql.markRejected(connection, orderId);
            journal.capture(connection, RESERVATIONS.row(orderId));
        } else {
            journal.capture(connection, STOCK.row(sku), RESERVATIONS.row(orderId));
        }
        return new Reservation(orderId, sku, quantity, taken ? ReservationStatus.RESERVED : ReservationStatus.REJECTED);
    }

    /**
     * One reserve as a single auto-commit statement (PostgreSQL, journal off): one round trip and
     * one commit instead of three round trips, and the stock row stays locked only for the
     * statement. A repeat fails that statement on the primary key, having taken nothing, and is
     * answered from the row as {@link #reserveIn} answers it.
     */
    private Reservation reserveInOneStatement(String orderId, String sku, int quantity, Deadline deadline)
            throws SQLException {
        try {
            boolean taken = database.inAutoCommit(
                    deadline, connection -> InventorySql.reserveInOneStatement(connection, orderId, sku, quantity));
            return new Reservation(
                    orderId, sku, quantity, taken ? ReservationStatus.RESERVED : ReservationStatus.REJECTED);
        } catch (SQLException e) {
            if (SqlDialect.isForeignKeyViolation(e)) {
                throw InventoryProblems.UNKNOWN_SKU.exception("sku '" + sku + "' is not stocked");
            }
            if (!SqlDialect.isUniqueViolation(e)) {
                throw e;
            }
        }
        Reservation existing =
                database.inAutoCommit(deadline, connection -> InventorySql.findReservation(connection, orderId));
        if (existing == null) {
            // Rows are never deleted, so only a rolled-back racing insert gets here: decide again.
            throw new SQLException("the reservation of " + orderId + " vanished after a conflict", "40001");
        }
        return answerRepeat(existing, sku, quantity);
    }

    private boolean releaseReserved(Connection connection, Reservation reserved) throws SQLException {
        // The SKU and quantity of a row never change once inserted, so the values read before this
        // transaction are the ones to give back; only the status needs the conditional update.
        return Transactions.run(connection, () -> {
            if (!InventorySql.markReleased(connection, reserved.orderId())) {
                return false;
            }
            InventorySql.returnStock(connection, reserved.sku(), reserved.quantity());
            journal.capture(connection, STOCK.row(reserved.sku()), RESERVATIONS.row(reserved.orderId()));
            return true;
        });
    }

    private void seed(Map<String, Integer> initialStock) {
        for (Map.Entry<String, Integer> entry : initialStock.entrySet()) {
            try (Connection connection = database.connection(Deadline.after(UNBOUNDED_CALLS))) {
                if (InventorySql.skuExists(connection, entry.getKey())) {
                    continue;
                }
                journal.write(
                        connection,
                        () -> InventorySql.insertStock(connection, entry.getKey(), entry.getValue()),
                        STOCK.row(entry.getKey()));
                log.info("seeded sku {} with {}", entry.getKey(), entry.getValue());
            } catch (SQLException e) {
                if (!SqlStates.isUniqueViolation(e)) {
                    throw new InventoryStoreException(
                            "seeding sku " + entry.getKey() + " failed: " + e.getMessage(), e);
                }
                // Another instance seeded it at the same moment; its row stands.
            }
        }
    }

    private static void retryOrThrow(SQLException e, int attempt, String operation) {
        boolean lostRace = SqlStates.isUniqueViolation(e) || SqlStates.isTransient(e);
        if (!lostRace) {
            throw new InventoryStoreException(operation + " failed: " + e.getMessage(), e);
        }
        if (attempt >= MAX_ATTEMPTS) {
            throw new InventoryStoreException(operation + " lost " + attempt + " races in a row: " + e.getMessage(), e);
        }
        log.debug("{} lost a race (SQLState {}), attempt {}; deciding again", operation, e.getSQLState(), attempt);
    }
}
