package io.valerix.order;

import io.valerix.core.deadline.Deadline;
import io.valerix.inventory.InventoryService;
import io.valerix.inventory.InventoryStoreException;
import io.valerix.inventory.Reservation;
import io.valerix.inventory.StockLevel;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@link InventoryClient} calling an {@link InventoryService} in the same JVM, under the same
 * deadline as the HTTP transport.
 *
 * <p>Each call runs on its own virtual thread and the caller waits at most until the deadline.
 * When the deadline passes the caller gets {@link InventoryUnavailableException} at once (the
 * order stays PENDING, as over HTTP), but the database transaction is left to finish rather than
 * interrupted: interrupting H2 mid-write closes its file channel. The transaction is short, and
 * its outcome is what the reconciler later asks about.
 *
 * <p>Thread-safe; {@link #close()} stops accepting calls.
 */
public final class InProcessInventoryClient implements InventoryClient, AutoCloseable {

    private final InventoryService inventory;
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

    public InProcessInventoryClient(InventoryService inventory) {
        this.inventory = Objects.requireNonNull(inventory, "inventory");
    }

    @Override
    public ReservationStatus reserve(String orderId, String sku, int quantity, Deadline deadline) {
        return status(call(() -> inventory.reserve(orderId, sku, quantity, deadline), deadline));
    }

    @Override
    public ReservationStatus find(String orderId, Deadline deadline) {
        return status(call(() -> inventory.find(orderId), deadline));
    }

    @Override
    public ReservationStatus cancel(String orderId, Deadline deadline) {
        return status(call(() -> inventory.release(orderId), deadline));
    }

    @Override
    public Set<String> skus(Deadline deadline) {
        return call(inventory::stockLevels, deadline).stream()
                .map(StockLevel::sku)
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void close() {
        calls.shutdown();
    }

    private static ReservationStatus status(Reservation reservation) {
        return ReservationStatus.valueOf(reservation.status().name());
    }

    private <T> T call(Supplier<T> work, Deadline deadline) {
        if (deadline.isExpired()) {
            throw new InventoryUnavailableException("the deadline passed before inventory was called", null);
        }
        Future<T> future = calls.submit(work::get);
        try {
            return future.get(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new InventoryUnavailableException("inventory did not answer within the deadline", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InventoryUnavailableException("interrupted while waiting for inventory", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof io.valerix.core.http.ProblemException problem) {
                throw new InventoryRefusedException(
                        problem.problem().type().toString(), problem.problem().detail(), problem);
            }
            if (cause instanceof InventoryStoreException store) {
                throw new InventoryUnavailableException("inventory's database failed: " + store.getMessage(), store);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new InventoryUnavailableException("inventory failed: " + cause, cause);
        }
    }
}
