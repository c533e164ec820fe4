package io.valerix.harness.bench;

import io.valerix.core.deadline.Deadline;
import io.valerix.order.InventoryClient;
import io.valerix.order.InventoryUnavailableException;
import io.valerix.order.ReservationStatus;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A gremlin for the memory probe: every reservation is made at once (the stock is taken), then its
 * answer is held back, as {@code after} delays do, until {@code target} answers are held at the
 * same time and {@code holdAfterTarget} has passed (or {@code maxHold} after the first one). Then
 * they are let go first in, first out, at the pace they arrived, so the order service finishes
 * them at the rate it took them in rather than all at once.
 */
final class HeldInventory implements InventoryClient {

    private final InventoryClient delegate;
    private final int target;
    private final long holdAfterTargetNanos;
    private final long maxHoldNanos;
    private final AtomicInteger arrived = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicBoolean releasing = new AtomicBoolean();
    private final ConcurrentLinkedQueue<CountDownLatch> queue = new ConcurrentLinkedQueue<>();
    private final Thread releaser;
    private volatile long firstHeldAt;
    private volatile long targetReachedAt;
    private volatile boolean closed;

    HeldInventory(InventoryClient delegate, int target, long holdAfterTargetMillis, long maxHoldMillis) {
        this.delegate = delegate;
        this.target = target;
        this.holdAfterTargetNanos = TimeUnit.MILLISECONDS.toNanos(holdAfterTargetMillis);
        this.maxHoldNanos = TimeUnit.MILLISECONDS.toNanos(maxHoldMillis);
        this.releaser =
                Thread.ofPlatform().daemon().name("held-inventory-release").unstarted(this::release);
    }

    @Override
    public ReservationStatus reserve(String orderId, String sku, int quantity, Deadline deadline) {
        ReservationStatus status = delegate.reserve(orderId, sku, quantity, deadline);
        CountDownLatch answer = new CountDownLatch(1);
        int now = held.incrementAndGet();
        queue.add(answer);
        if (arrived.getAndIncrement() == 0) {
            firstHeldAt = System.nanoTime();
            releaser.start();
        }
        peak.accumulateAndGet(now, Math::max);
        if (now >= target && targetReachedAt == 0) {
            targetReachedAt = System.nanoTime();
        }
        try {
            if (!answer.await(deadline.remainingNanos(), TimeUnit.NANOSECONDS)) {
                throw new InventoryUnavailableException("held by the memory probe past the deadline", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InventoryUnavailableException("interrupted while held", e);
        } finally {
            held.decrementAndGet();
        }
        return status;
    }

    /** Waits for the target (or the longest hold), then lets answers go at the pace they came. */
    private void release() {
        while (!closed) {
            long now = System.nanoTime();
            long reached = targetReachedAt;
            if (reached != 0 && now - reached >= holdAfterTargetNanos) {
                break;
            }
            if (now - firstHeldAt >= maxHoldNanos) {
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        releasing.set(true);
        long end = targetReachedAt != 0 ? targetReachedAt : System.nanoTime();
        long pace = Math.max(0, (end - firstHeldAt) / Math.max(1, arrived.get()));
        long next = System.nanoTime();
        while (!closed) {
            CountDownLatch answer = queue.poll();
            if (answer == null) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                continue;
            }
            answer.countDown();
            next += pace;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    @Override
    public ReservationStatus find(String orderId, Deadline deadline) {
        return delegate.find(orderId, deadline);
    }

    @Override
    public ReservationStatus cancel(String orderId, Deadline deadline) {
        return delegate.cancel(orderId, deadline);
    }

    @Override
    public Set<String> skus(Deadline deadline) {
        return delegate.skus(deadline);
    }

    /** Reservations made so far (each then held). */
    int arrived() {
        return arrived.get();
    }

    /** The most answers held at once. */
    int peak() {
        return peak.get();
    }

    /** Milliseconds from the first held answer to {@code target} held at once; -1 if never. */
    long rampMillis() {
        return targetReachedAt == 0 ? -1 : (targetReachedAt - firstHeldAt) / 1_000_000;
    }

    void close() {
        closed = true;
        CountDownLatch answer;
        while ((answer = queue.poll()) != null) {
            answer.countDown();
        }
    }
}
