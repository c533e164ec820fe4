package io.valerix.order.internal;

import io.valerix.core.jdbc.DeadlineBoundDataSource;
import io.valerix.core.jdbc.JoinableWrite;
import io.valerix.core.jdbc.SchemaMigrations;
import io.valerix.core.journal.ChangeJournal;
import io.valerix.core.journal.JournaledTable;
import io.valerix.order.Order;
import io.valerix.order.OrderStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Orders in a relational database. The primary key on {@code order_id} makes the first insert
 * win across any number of order-service instances, and every status change is conditional on the
 * order still being {@code PENDING}, so two settlers can never both change it.
 *
 * <p>Every method runs in a transaction through a {@link DeadlineBoundDataSource}: the {@code
 * Connection} variants join the caller's (so the order path can put an idempotency claim or a
 * stored answer in the same commit), the others run their own, bounded generously since no
 * request waits on them. With a {@link ChangeJournal} on, each write captures its journal row in
 * its transaction.
 */
public final class JdbcOrderStore {

    private static final String COLUMNS = "order_id, sku, quantity, status, message, created_at, updated_at";
    private static final JournaledTable ORDERS = JournaledTable.of("orders", "order_id");

    private final DeadlineBoundDataSource database;
    private final DataSource dataSource;
    private final ChangeJournal journal;

    public JdbcOrderStore(DataSource dataSource) {
        this(DeadlineBoundDataSource.of(dataSource), ChangeJournal.off());
    }

    public JdbcOrderStore(DataSource dataSource, ChangeJournal journal) {
        this(DeadlineBoundDataSource.of(dataSource), journal);
    }

    public JdbcOrderStore(DeadlineBoundDataSource database, ChangeJournal journal) {
        this.database = database;
        this.dataSource = database.dataSource();
        this.journal = journal;
        SchemaMigrations.migrate(dataSource, "orders");
        journal.install(dataSource);
    }

    /** The database, whose transactions end by a deadline. */
    public DeadlineBoundDataSource database() {
        return database;
    }

    /** The outcome of {@link #insertPending}: the stored order, and whether this call created it. */
    public record Insert(Order order, boolean created) {}

    /** A new PENDING order, and the write that inserts it unless its id is taken. */
    public record PendingInsert(Order order, JoinableWrite write) {}

    /**
     * The insert of a PENDING order, as a write an idempotency claim may join. {@code ON CONFLICT
     * DO NOTHING} keeps a transaction usable after a duplicate, so a claim made in it still commits;
     * the write then changes no row.
     */
    public PendingInsert pendingInsert(String orderId, String sku, int quantity, String message, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        Order order = new Order(orderId, sku, quantity, OrderStatus.PENDING, message, now, now);
        JoinableWrite write = journal.joinable(
                "INSERT INTO orders (" + COLUMNS + ") VALUES (?, ?, ?, 'PENDING', ?, ?, ?) ON CONFLICT DO NOTHING",
                (insert, first) -> {
                    insert.setString(first, orderId);
                    insert.setString(first + 1, sku);
                    insert.setInt(first + 2, quantity);
                    insert.setString(first + 3, message);
                    insert.setObject(first + 4, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                    insert.setObject(first + 5, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                    return first + 6;
                },
                ORDERS.row(orderId));
        return new PendingInsert(order, write);
    }

    /** Inserts a PENDING order in {@code c}'s open transaction, or reads the one already stored under that id. */
    public Insert insertPending(Connection c, String orderId, String sku, int quantity, String message, Instant at)
            throws SQLException {
        PendingInsert pending = pendingInsert(orderId, sku, quantity, message, at);
        if (pending.write().run(c) == 1) {
            return new Insert(pending.order(), true);
        }
        return new Insert(
                find(c, orderId)
                        .orElseThrow(() -> new SQLException("order " + orderId + " neither inserted nor found")),
                false);
    }

    /** The order, read on {@code c}. */
    public Optional<Order> find(Connection c, String orderId) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT " + COLUMNS + " FROM orders WHERE order_id = ?")) {
            query.setString(1, orderId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    /**
     * Moves a PENDING order to a final status in {@code c}'s open transaction.
     *
     * @return true if this call changed it; false if it was no longer PENDING
     */
    public boolean settle(Connection c, String orderId, OrderStatus status, String message, Instant now)
            throws SQLException {
        return settleWrite(orderId, status, message, now).run(c) == 1;
    }

    /**
     * The move of a PENDING order to a final status, as a write an idempotency claim's answer may
     * join; it changes no row if the order is no longer PENDING.
     */
    public JoinableWrite settleWrite(String orderId, OrderStatus status, String message, Instant now) {
        if (!status.isFinal()) {
            throw new IllegalArgumentException("an order can only be settled to a final status, not " + status);
        }
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        return journal.joinable(
                "UPDATE orders SET status = ?, message = ?, updated_at = ?, settled_at = ? WHERE order_id = ? AND status = 'PENDING'",
                (update, first) -> {
                    update.setString(first, status.name());
                    update.setString(first + 1, message);
                    update.setObject(first + 2, at);
                    update.setObject(first + 3, at);
                    update.setString(first + 4, orderId);
                    return first + 5;
                },
                ORDERS.row(orderId));
    }

    /** Inserts a PENDING order, or returns the one already stored under that id. */
    public Insert insertPending(String orderId, String sku, int quantity, String message, Instant at) {
        return outsideRequests(
                "inserting order " + orderId, c -> insertPending(c, orderId, sku, quantity, message, at));
    }

    public Optional<Order> find(String orderId) {
        try {
            return database.inAutoCommit(
                    io.valerix.core.deadline.Deadline.after(OUTSIDE_REQUESTS), c -> find(c, orderId));
        } catch (SQLException e) {
            throw new OrderStoreException("reading order " + orderId + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Moves a PENDING order to a final status.
     *
     * @return true if this call changed it; false if it was no longer PENDING
     */
    public boolean settle(String orderId, OrderStatus status, String message, Instant now) {
        return outsideRequests("settling order " + orderId, c -> settle(c, orderId, status, message, now));
    }

    /**
     * Claims up to {@code limit} PENDING orders created before {@code cutoff} that no other
     * reconciler holds, oldest first, until {@code leaseUntil}: one transaction, rows another
     * claimer has locked are skipped ({@code FOR UPDATE SKIP LOCKED}, on H2 and PostgreSQL).
     */
    public List<Order> claimDue(
            Instant cutoff, Instant now, Instant leaseUntil, int limit, io.valerix.core.deadline.Deadline deadline) {
        try {
            return database.inTransaction(deadline, c -> {
                List<Order> orders = new ArrayList<>();
                try (PreparedStatement query = c.prepareStatement(
                        "SELECT " + COLUMNS + " FROM orders WHERE status = 'PENDING' AND created_at < ?"
                                + " AND (settle_lease_until IS NULL OR settle_lease_until <= ?)"
                                + " ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
                    query.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
                    query.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                    query.setInt(3, limit);
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            orders.add(read(rows));
                        }
                    }
                }
                if (orders.isEmpty()) {
                    return orders;
                }
                try (PreparedStatement lease =
                        c.prepareStatement("UPDATE orders SET settle_lease_until = ? WHERE order_id = ?")) {
                    for (Order order : orders) {
                        lease.setObject(1, OffsetDateTime.ofInstant(leaseUntil, ZoneOffset.UTC));
                        lease.setString(2, order.orderId());
                        lease.addBatch();
                    }
                    lease.executeBatch();
                }
                journal.capture(
                        c,
                        orders.stream()
                                .map(order -> ORDERS.row(order.orderId()))
                                .toArray(JournaledTable.Row[]::new));
                return orders;
            });
        } catch (SQLException e) {
            throw new OrderStoreException("claiming due orders failed: " + e.getMessage(), e);
        }
    }

    /** Gives up the reconciler's claim on these orders (still PENDING), so any reconciler may take them at once. */
    public void releaseClaims(List<String> orderIds, io.valerix.core.deadline.Deadline deadline) {
        if (orderIds.isEmpty()) {
            return;
        }
        try {
            database.inTransaction(deadline, c -> {
                try (PreparedStatement release = c.prepareStatement(
                        "UPDATE orders SET settle_lease_until = NULL WHERE order_id = ? AND status = 'PENDING'")) {
                    for (String orderId : orderIds) {
                        release.setString(1, orderId);
                        release.addBatch();
                    }
                    release.executeBatch();
                }
                journal.capture(c, orderIds.stream().map(ORDERS::row).toArray(JournaledTable.Row[]::new));
                return null;
            });
        } catch (SQLException e) {
            throw new OrderStoreException(
                    "releasing the claims on " + orderIds.size() + " orders failed: " + e.getMessage(), e);
        }
    }

    /** PENDING orders created before {@code cutoff}, oldest first. */
    public List<Order> pendingCreatedBefore(Instant cutoff, int limit) {
        return outsideRequests("listing pending orders", connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM orders WHERE status = 'PENDING' AND created_at < ? ORDER BY created_at LIMIT ?")) {
                query.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
                query.setInt(2, limit);
                List<Order> orders = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        orders.add(read(rows));
                    }
                }
                return orders;
            }
        });
    }

    /** Orders whose id starts with {@code prefix} and sorts after {@code after} (null: from the start), by id. */
    public List<Order> list(String prefix, String after, int limit) {
        // Order ids are [A-Za-z0-9._:-], so '_' is the only LIKE wildcard a prefix can hold.
        String pattern = prefix.replace("!", "!!").replace("_", "!_").replace("%", "!%") + "%";
        return outsideRequests("listing orders", connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM orders WHERE order_id LIKE ? ESCAPE '!' AND order_id > ? ORDER BY order_id LIMIT ?")) {
                query.setString(1, pattern);
                query.setString(2, after == null ? "" : after);
                query.setInt(3, limit);
                List<Order> orders = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        orders.add(read(rows));
                    }
                }
                return orders;
            }
        });
    }

    /** How many orders are in each status. */
    public Map<OrderStatus, Long> countByStatus() {
        Map<OrderStatus, Long> counts = new EnumMap<>(OrderStatus.class);
        for (OrderStatus status : OrderStatus.values()) {
            counts.put(status, 0L);
        }
        return outsideRequests("counting orders", connection -> {
            try (PreparedStatement query =
                            connection.prepareStatement("SELECT status, COUNT(*) FROM orders GROUP BY status");
                    ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.put(OrderStatus.valueOf(rows.getString(1)), rows.getLong(2));
                }
                return counts;
            }
        });
    }

    /**
     * How many orders are PENDING: a range of the {@code orders_pending} index, so it costs what the
     * pending orders cost, not what the whole table does (as {@link #countByStatus} does).
     */
    public long countPending() {
        return outsideRequests("counting pending orders", connection -> {
            try (PreparedStatement query =
                            connection.prepareStatement("SELECT COUNT(*) FROM orders WHERE status = 'PENDING'");
                    ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    /**
     * The bound on work no request waits for (the reconciler, audits): through the same gate as the
     * request path, so the pool never makes a request wait, but with room for a slow database.
     */
    private static final java.time.Duration OUTSIDE_REQUESTS = java.time.Duration.ofSeconds(30);

    private <T> T outsideRequests(String what, DeadlineBoundDataSource.Work<T> work) {
        try {
            return database.inTransaction(io.valerix.core.deadline.Deadline.after(OUTSIDE_REQUESTS), work);
        } catch (SQLException e) {
            throw new OrderStoreException(what + " failed: " + e.getMessage(), e);
        }
    }

    private static Order read(ResultSet rows) throws SQLException {
        return new Order(
                rows.getString(1),
                rows.getString(2),
                rows.getInt(3),
                OrderStatus.valueOf(rows.getString(4)),
                rows.getString(5),
                rows.getObject(6, OffsetDateTime.class).toInstant(),
                rows.getObject(7, OffsetDateTime.class).toInstant());
    }
}
