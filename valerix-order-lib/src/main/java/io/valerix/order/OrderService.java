package io.valerix.order;

import io.valerix.core.deadline.Deadline;
import io.valerix.core.http.Problem;
import io.valerix.core.http.ProblemException;
import io.valerix.core.http.ProblemType;
import io.valerix.core.http.Response;
import io.valerix.core.idempotency.KeyClaim;
import io.valerix.core.jdbc.DeadlineBoundDataSource;
import io.valerix.core.journal.ChangeJournal;
import io.valerix.order.internal.JdbcOrderStore;
import io.valerix.order.internal.OrderStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places orders without ever hanging on inventory and without ever placing one twice.
 *
 * <p>Placing an order commits it as PENDING, then asks inventory to reserve stock under the
 * request's deadline (at most the configured timeout), holding no database connection meanwhile.
 * Every database wait (a connection, a lock, a statement) also ends by that deadline: if the order
 * cannot be written in time the call fails with nothing written, and once it is written a slow
 * settle leaves it PENDING. Behind the HTTP API the idempotency claim joins the PENDING insert and
 * the stored answer joins the settle, so an order costs two commits in the order database. RESERVED makes it CONFIRMED and REJECTED
 * makes it REJECTED. When inventory does not answer in time, the order stays PENDING: the
 * reservation may have happened, so it is never reported as failed; the {@link OrderReconciler}
 * settles it. The order id is the primary key, so a retry of the same order returns the stored
 * order instead of creating a second one.
 *
 * <p>Concurrent inventory calls are bounded: past the bound a request is refused at once with 503
 * {@code overloaded} and nothing is written, rather than joining a growing queue.
 *
 * <p>Thread-safe.
 */
public final class OrderService {

    private static final Logger log = LoggerFactory.getLogger(OrderService.class);

    /** Order ids: 1 to 255 characters of letters, digits and {@code . _ : -}. */
    public static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9._:-]{1,255}");
    /** SKUs: 1 to 64 characters of letters, digits and {@code . _ -}. */
    public static final Pattern SKU = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    static final String PENDING_MESSAGE =
            "Inventory is slow to answer, so your order is accepted and pending. It will be confirmed or"
                    + " cancelled shortly; check its status at /orders/%s. Retrying with the same key is safe.";

    /**
     * The most of the timeout kept back from the inventory call for what comes after it: the
     * cancellation (measured up to 43 ms late on a loaded 2-core machine), the order and idempotency
     * writes, and the answer's way to the client. A fifth of the timeout, at most this. 100 ms was
     * not enough when 60 orders timed out at the same instant on 2 cores: the server answered them
     * all within the timeout, but the last answers reached their clients up to 75 ms after it.
     * 150 ms was not enough in one of five fresh starts hit by such a burst: the cancellation came
     * 52 ms late and the last answer reached its client 46 ms after the timeout. The price of each
     * step is the same: inventory gets that much less of the timeout to answer in.
     */
    private static final Duration MAX_REPLY_RESERVE = Duration.ofMillis(200);

    private final JdbcOrderStore store;
    private final InventoryClient inventory;
    private final InstantSource clock;
    private final Duration timeout;
    private final int maxQuantity;
    private final Semaphore inventoryCalls;
    private volatile Set<String> knownSkus;

    private OrderService(Builder builder) {
        this.store = new JdbcOrderStore(builder.database, builder.changeJournal);
        this.inventory = builder.inventory;
        this.clock = builder.clock;
        this.timeout = builder.timeout;
        this.maxQuantity = builder.maxQuantity;
        this.inventoryCalls = new Semaphore(builder.maxConcurrentInventoryCalls);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Places an order, or returns the stored one if this order id was placed before.
     *
     * <p>The timeout bounds the whole call, not only the inventory call: the inventory call gets
     * what is left of it (or of {@code deadline}, if that is sooner) after the writes before it,
     * less a small reserve for recording the outcome and answering.
     *
     * @throws ProblemException 400 {@code invalid-order}, 422 {@code unknown-sku}, 422 {@code
     *     order-conflict} (same id, different content), 503 {@code overloaded}; nothing is written
     */
    public PlacedOrder place(String orderId, String sku, int quantity, Deadline deadline) {
        Deadline call = deadline.child(timeout);
        Started started = start(orderId, sku, quantity, call, null);
        if (started.placed() != null) {
            return started.placed();
        }
        try {
            Decision decision = reserve(started.order(), inventoryDeadline(call));
            if (decision == null) {
                return new PlacedOrder(started.order(), PlacedOrder.Outcome.ACCEPTED);
            }
            return store.database().inTransaction(call, c -> settled(c, started.order(), decision));
        } catch (SQLException e) {
            return pendingAfterFailedSettle(started.order(), e);
        } finally {
            inventoryCalls.release();
        }
    }

    /**
     * {@link #place} for a request whose idempotency key is claimed together with the order's first
     * write ({@code claim}), and whose answer ({@code answer}) is stored together with its last: two
     * commits in the order database per order, none held across the inventory call.
     */
    Response place(
            String orderId,
            String sku,
            int quantity,
            Deadline deadline,
            KeyClaim claim,
            Function<PlacedOrder, Response> answer) {
        Deadline call = deadline.child(timeout);
        Started started = start(orderId, sku, quantity, call, claim);
        if (started.placed() != null) {
            return answer.apply(started.placed());
        }
        try {
            Decision decision = reserve(started.order(), inventoryDeadline(call));
            if (decision == null) {
                return answer.apply(new PlacedOrder(started.order(), PlacedOrder.Outcome.ACCEPTED));
            }
            return settle(claim, call, started.order(), decision, answer);
        } catch (SQLException e) {
            return answer.apply(pendingAfterFailedSettle(started.order(), e));
        } finally {
            inventoryCalls.release();
        }
    }

    /**
     * The start of {@link #place}: validation, the stored order if there is one, and otherwise the
     * PENDING insert (with the key's claim, if given). When {@link Started#order()} is set, the
     * caller holds an inventory-call permit and must release it.
     */
    private Started start(String orderId, String sku, int quantity, Deadline call, KeyClaim claim) {
        validate(orderId, sku, quantity);
        Set<String> skus = knownSkus;
        boolean known = skus == null || skus.contains(sku);
        if (!known || !inventoryCalls.tryAcquire()) {
            // The insert below answers an order that exists; this path inserts nothing, so it reads.
            Optional<Order> existing = read(call, "reading order " + orderId, c -> store.find(c, orderId));
            if (existing.isPresent()) {
                return Started.done(
                        new PlacedOrder(sameOrder(existing.get(), sku, quantity), PlacedOrder.Outcome.EXISTING));
            }
            if (!known) {
                throw OrderProblems.UNKNOWN_SKU.exception("inventory has no SKU '" + sku + "'");
            }
            throw new ProblemException(
                    Problem.of(
                            ProblemType.OVERLOADED,
                            "too many orders are waiting on inventory; retry in a second with the same key"),
                    "1");
        }
        try {
            String message = PENDING_MESSAGE.formatted(orderId);
            JdbcOrderStore.Insert inserted = claim == null
                    ? store.database()
                            .inTransaction(
                                    call, c -> store.insertPending(c, orderId, sku, quantity, message, clock.instant()))
                    : claimAndInsert(claim, call, orderId, sku, quantity, message);
            if (!inserted.created()) {
                inventoryCalls.release();
                return Started.done(
                        new PlacedOrder(sameOrder(inserted.order(), sku, quantity), PlacedOrder.Outcome.EXISTING));
            }
            return new Started(inserted.order(), null);
        } catch (SQLException e) {
            inventoryCalls.release();
            throw new OrderStoreException("inserting order " + orderId + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            inventoryCalls.release();
            throw e;
        }
    }

    /**
     * Claims the key with the PENDING insert: on PostgreSQL one statement. If the order id was taken
     * (by the same order under another key), the stored order is read after the claim committed.
     */
    private JdbcOrderStore.Insert claimAndInsert(
            KeyClaim claim, Deadline call, String orderId, String sku, int quantity, String message)
            throws SQLException {
        JdbcOrderStore.PendingInsert pending = store.pendingInsert(orderId, sku, quantity, message, clock.instant());
        if (claim.claim(call, pending.write())) {
            return new JdbcOrderStore.Insert(pending.order(), true);
        }
        Order existing = store.database()
                .inAutoCommit(call, c -> store.find(c, orderId))
                .orElseThrow(() -> new SQLException("order " + orderId + " neither inserted nor found"));
        return new JdbcOrderStore.Insert(existing, false);
    }

    /**
     * Settles the order and stores the answer: in the common case (the order is still PENDING and
     * the claim still ours) as one write, on PostgreSQL one statement; otherwise in a transaction
     * that reads what happened.
     */
    private Response settle(
            KeyClaim claim, Deadline call, Order order, Decision decision, Function<PlacedOrder, Response> answer)
            throws SQLException {
        // Truncated as the database stores it, so the answer shows what a later GET reads.
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Optional<Response> sent = claim.completeIfWritten(
                call,
                store.settleWrite(order.orderId(), decision.status(), decision.message(), at),
                answer.apply(new PlacedOrder(settledAs(order, decision, at), PlacedOrder.Outcome.CREATED)));
        if (sent.isPresent()) {
            log.info("order {} is {}", order.orderId(), decision.status());
            return sent.get();
        }
        return claim.complete(call, c -> answer.apply(settled(c, order, decision)));
    }

    private static Order settledAs(Order order, Decision decision, Instant at) {
        return new Order(
                order.orderId(),
                order.sku(),
                order.quantity(),
                decision.status(),
                decision.message(),
                order.createdAt(),
                at);
    }

    /** Either the answer ({@code placed}) or a new PENDING order to reserve for ({@code order}). */
    private record Started(Order order, PlacedOrder placed) {
        static Started done(PlacedOrder placed) {
            return new Started(null, placed);
        }
    }

    /** The final status inventory's answer decided, and its message. */
    private record Decision(OrderStatus status, String message) {}

    /**
     * The order row exists, so when its settle does not commit in time the answer is 202 PENDING,
     * not an error: the reconciler settles it, and the client polls it.
     */
    private PlacedOrder pendingAfterFailedSettle(Order order, SQLException e) {
        log.warn("order {} stays PENDING: settling it failed: {}", order.orderId(), e.getMessage());
        return new PlacedOrder(order, PlacedOrder.Outcome.ACCEPTED);
    }

    private <T> T read(Deadline deadline, String what, DeadlineBoundDataSource.Work<T> work) {
        try {
            return store.database().inAutoCommit(deadline, work);
        } catch (SQLException e) {
            throw new OrderStoreException(what + " failed: " + e.getMessage(), e);
        }
    }

    /** The order's current state. */
    public Optional<Order> find(String orderId) {
        return store.find(orderId);
    }

    /** The most orders one {@link #list} call returns. */
    public static final int MAX_PAGE = 1000;

    /**
     * One page of orders, ordered by id, for audits such as a chaos run's consistency check: those
     * whose id starts with {@code prefix} and comes after {@code after}.
     *
     * @param prefix an order-id prefix; empty for every order
     * @param after the last id of the previous page, or null for the first page
     * @param limit the most orders to return, 1..{@link #MAX_PAGE}
     * @throws ProblemException 400 {@code invalid-order} for a malformed prefix, {@code after} or limit
     */
    public List<Order> list(String prefix, String after, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.isEmpty() && !ORDER_ID.matcher(prefix).matches()) {
            throw OrderProblems.INVALID_ORDER.exception(
                    "prefix must be up to 255 characters of letters, digits and . _ : -");
        }
        if (after != null && !ORDER_ID.matcher(after).matches()) {
            throw OrderProblems.INVALID_ORDER.exception(
                    "after must be an order id: 1 to 255 characters of letters, digits and . _ : -");
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw OrderProblems.INVALID_ORDER.exception("limit must be 1.." + MAX_PAGE + ", but was " + limit);
        }
        return List.copyOf(store.list(prefix, after, limit));
    }

    /** How many orders are in each status. */
    public Map<OrderStatus, Long> countByStatus() {
        return store.countByStatus();
    }

    /**
     * Loads the SKUs inventory knows, so unknown ones are refused before anything is written. Until
     * it succeeds every SKU is accepted and inventory's own refusal rejects the order.
     *
     * @return true if the catalog was loaded
     */
    public boolean refreshCatalog(Deadline deadline) {
        try {
            knownSkus = Set.copyOf(inventory.skus(deadline));
            return true;
        } catch (InventoryUnavailableException | InventoryRefusedException e) {
            log.warn("could not load the SKU catalog from inventory: {}", e.getMessage());
            return false;
        }
    }

    JdbcOrderStore store() {
        return store;
    }

    InventoryClient inventory() {
        return inventory;
    }

    InstantSource clock() {
        return clock;
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * The inventory call's deadline: what is left of the call's, less a reserve for the writes and
     * the answer after it, so that the answer, not only the inventory call, comes within the timeout.
     */
    private Deadline inventoryDeadline(Deadline call) {
        Duration reserve =
                timeout.dividedBy(5).compareTo(MAX_REPLY_RESERVE) < 0 ? timeout.dividedBy(5) : MAX_REPLY_RESERVE;
        Duration left = call.remaining().minus(reserve);
        return call.child(left.isNegative() ? Duration.ZERO : left);
    }

    /** Asks inventory to reserve; the final status its answer decides, or null: the order stays PENDING. */
    private Decision reserve(Order order, Deadline deadline) {
        ReservationStatus answer;
        try {
            answer = inventory.reserve(order.orderId(), order.sku(), order.quantity(), deadline);
        } catch (InventoryUnavailableException unknown) {
            log.info("order {} stays PENDING: {}", order.orderId(), unknown.getMessage());
            return null;
        } catch (InventoryRefusedException refused) {
            return new Decision(OrderStatus.REJECTED, "Inventory refused the order: " + refused.getMessage());
        }
        if (deadline.isExpired()) {
            // The answer came in after the caller stopped waiting; the reconciler settles it instead,
            // so that it alone races with its own cancellation.
            return null;
        }
        return switch (answer) {
            case RESERVED -> new Decision(OrderStatus.CONFIRMED, OrderMessages.CONFIRMED);
            case REJECTED -> new Decision(OrderStatus.REJECTED, OrderMessages.OUT_OF_STOCK);
            case CANCELLED, RELEASED -> new Decision(OrderStatus.FAILED, OrderMessages.CANCELLED);
            case NOT_FOUND -> null;
        };
    }

    /** Settles the order in {@code c}'s transaction and reads it back there. */
    private PlacedOrder settled(Connection c, Order order, Decision decision) throws SQLException {
        // Truncated as the database stores it, so the answer shows what a later GET reads.
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Order now = store.settle(c, order.orderId(), decision.status(), decision.message(), at)
                ? settledAs(order, decision, at)
                : store.find(c, order.orderId())
                        .orElseThrow(() -> new SQLException("order " + order.orderId() + " vanished"));
        log.info("order {} is {}", order.orderId(), now.status());
        return new PlacedOrder(
                now, now.status().isFinal() ? PlacedOrder.Outcome.CREATED : PlacedOrder.Outcome.ACCEPTED);
    }

    private static Order sameOrder(Order existing, String sku, int quantity) {
        if (!existing.sku().equals(sku) || existing.quantity() != quantity) {
            throw OrderProblems.ORDER_CONFLICT.exception("order " + existing.orderId() + " exists for "
                    + existing.quantity() + " x " + existing.sku() + "; a different order needs a different id");
        }
        return existing;
    }

    private void validate(String orderId, String sku, int quantity) {
        if (orderId == null || !ORDER_ID.matcher(orderId).matches()) {
            throw OrderProblems.INVALID_ORDER.exception(
                    "orderId must be 1 to 255 characters of letters, digits and . _ : -");
        }
        if (sku == null || !SKU.matcher(sku).matches()) {
            throw OrderProblems.INVALID_ORDER.exception("sku must be 1 to 64 characters of letters, digits and . _ -");
        }
        if (quantity < 1 || quantity > maxQuantity) {
            throw OrderProblems.INVALID_ORDER.exception(
                    "quantity must be between 1 and " + maxQuantity + ", but was " + quantity);
        }
    }

    /** Builds an {@link OrderService}; validated in {@link #build()}. */
    public static final class Builder {
        private DeadlineBoundDataSource database;
        private InventoryClient inventory;
        private InstantSource clock = InstantSource.system();
        private Duration timeout = Duration.ofSeconds(2);
        private int maxQuantity = 1000;
        private int maxConcurrentInventoryCalls = 256;
        private ChangeJournal changeJournal = ChangeJournal.off();

        private Builder() {}

        /**
         * The order database; its schema is migrated on build. Every wait on it ends by the order's
         * deadline, through a gate as large as its pool ({@link DeadlineBoundDataSource#of(DataSource)}).
         */
        public Builder dataSource(DataSource dataSource) {
            return database(DeadlineBoundDataSource.of(Objects.requireNonNull(dataSource, "dataSource")));
        }

        /** The order database behind the gate that its other users (the idempotency store) share. */
        public Builder database(DeadlineBoundDataSource database) {
            this.database = Objects.requireNonNull(database, "database");
            return this;
        }

        public Builder inventory(InventoryClient inventory) {
            this.inventory = Objects.requireNonNull(inventory, "inventory");
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The most {@link OrderService#place} takes, its inventory call included; 2 s by default. The
         * caller's deadline may be shorter.
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The largest quantity one order may ask for; 1000 by default. */
        public Builder maxQuantity(int maxQuantity) {
            this.maxQuantity = maxQuantity;
            return this;
        }

        /** How many requests may wait on inventory at once; past it, 503 at once. 256 by default. */
        public Builder maxConcurrentInventoryCalls(int max) {
            this.maxConcurrentInventoryCalls = max;
            return this;
        }

        /** Journals every order write, for continuous archiving; off (no journal at all) unless set. */
        public Builder changeJournal(ChangeJournal journal) {
            this.changeJournal = Objects.requireNonNull(journal, "journal");
            return this;
        }

        public OrderService build() {
            Objects.requireNonNull(database, "dataSource is required");
            Objects.requireNonNull(inventory, "inventory is required");
            if (timeout.toMillis() < 1) {
                throw new IllegalArgumentException("timeout must be at least 1 ms, but was " + timeout);
            }
            if (maxQuantity < 1) {
                throw new IllegalArgumentException("maxQuantity must be at least 1, but was " + maxQuantity);
            }
            if (maxConcurrentInventoryCalls < 1) {
                throw new IllegalArgumentException(
                        "maxConcurrentInventoryCalls must be at least 1, but was " + maxConcurrentInventoryCalls);
            }
            return new OrderService(this);
        }
    }
}
