package io.valerix.inventory;

import io.valerix.core.deadline.Deadline;
import io.valerix.core.http.ProblemException;
import io.valerix.inventory.internal.JdbcInventoryService;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Stock and exactly-once reservations keyed by order id.
 *
 * <p>Every order id has at most one record, ever. {@link #reserve} is idempotent on the order id:
 * the first request decides (RESERVED or REJECTED) and every repeat gets the same answer without
 * touching stock; a repeat that asks for something else is a conflict. {@link #release} gives
 * reserved stock back exactly once, and leaves a tombstone when nothing was reserved yet so that
 * a late reserve takes nothing.
 *
 * <p>Bad input ({@link ProblemException} of a type in {@link InventoryProblems}) changes nothing.
 * A database failure is an {@link InventoryStoreException}, after which the outcome of a reserve or
 * release is unknown until asked again.
 *
 * <p>Implementations are thread-safe, and several instances may share one database: correctness
 * comes from its unique constraints and conditional updates, not from locks in this JVM.
 */
public interface InventoryService {

    /**
     * The inventory on {@code dataSource}: brings the schema up to date, seeds the SKUs of {@code
     * config} that do not exist yet (existing stock is never reset), and answers from then on. The
     * caller keeps ownership of {@code dataSource} and closes it after it stops using the service.
     *
     * @throws InventoryStoreException if the database cannot be set up
     */
    static InventoryService create(DataSource dataSource, InventoryConfig config) {
        return JdbcInventoryService.open(dataSource, config);
    }

    /**
     * Reserves {@code quantity} of {@code sku} for {@code orderId}, once.
     *
     * @return RESERVED if the stock was taken, REJECTED if there was not enough (recorded, so a
     *     retry answers REJECTED even if stock came back), CANCELLED if the order was cancelled
     *     first, or RELEASED if it was reserved and has since been released; for a repeat, the
     *     first answer
     * @throws ProblemException {@code invalid-order-id}, {@code invalid-sku}, {@code
     *     invalid-quantity}, {@code unknown-sku}, or {@code reservation-conflict} if {@code orderId}
     *     was reserved for a different SKU or quantity
     */
    Reservation reserve(String orderId, String sku, int quantity);

    /**
     * {@link #reserve(String, String, int)} that gives up when {@code deadline} passes: no wait for a
     * connection, a lock or a statement outlasts it (the JDBC service), and what was not committed
     * by then is rolled back. The HTTP route passes the request's deadline, which comes from the
     * caller's remaining budget, so inventory stops work nobody waits for.
     *
     * @throws InventoryDeadlineException if the deadline passed first; nothing was taken
     */
    default Reservation reserve(String orderId, String sku, int quantity, Deadline deadline) {
        return reserve(orderId, sku, quantity);
    }

    /**
     * Cancels the reservation of {@code orderId}.
     *
     * @return RELEASED if reserved stock was given back (by this call or an earlier one),
     *     CANCELLED if there was no reservation (a tombstone now stops a late reserve), or REJECTED
     *     if it was rejected (nothing to give back)
     * @throws ProblemException {@code invalid-order-id}
     */
    Reservation release(String orderId);

    /**
     * What is recorded for {@code orderId}: RESERVED, REJECTED, RELEASED, CANCELLED, or NOT_FOUND.
     *
     * @throws ProblemException {@code invalid-order-id}
     */
    Reservation find(String orderId);

    /**
     * The stock of {@code sku}, or empty if it is not stocked.
     *
     * @throws ProblemException {@code invalid-sku}
     */
    Optional<StockLevel> stockLevel(String sku);

    /** The stock of every SKU, ordered by SKU, each consistent in itself. */
    List<StockLevel> stockLevels();

    /** The most records one {@link #reservations} call returns. */
    int MAX_PAGE = 1000;

    /**
     * One page of the records, ordered by order id, for audits such as a chaos run's consistency
     * check: those whose order id starts with {@code prefix} and comes after {@code after}.
     *
     * @param prefix an order-id prefix; empty for every record
     * @param after the last order id of the previous page, or null for the first page
     * @param limit the most records to return, 1..{@link #MAX_PAGE}
     * @throws ProblemException {@code invalid-order-id} for a malformed prefix or {@code after}, 400
     *     {@code invalid-request} for a limit out of range
     */
    List<Reservation> reservations(String prefix, String after, int limit);
}
