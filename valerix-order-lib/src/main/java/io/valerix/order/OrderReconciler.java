package io.valerix.order;

import io.valerix.core.deadline.Deadline;
import io.valerix.order.internal.JdbcOrderStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Settles PENDING orders: asks inventory what happened to each order older than {@code
 * settleAfter} and makes it final.
 *
 * <ul>
 *   <li>RESERVED: the order is CONFIRMED (the reservation happened, the answer was late);
 *   <li>REJECTED: REJECTED;
 *   <li>RELEASED or CANCELLED: FAILED;
 *   <li>NOT_FOUND: inventory never saw the reservation. Because {@code settleAfter} is longer
 *       than the order timeout, and inventory refuses requests whose budget is gone, no reserve
 *       request for the order can still be working; the reconciler still cancels first, which
 *       leaves a tombstone so that even a straggler takes nothing, and then marks it FAILED.
 * </ul>
 *
 * <p>Orders are settled {@code parallelism} at a time, since each waits on inventory. In the
 * background, every {@code interval}, the reconciler starts on the due orders it is not settling
 * already, without waiting for those in flight. When inventory cannot be reached it starts no
 * more, backs off (doubling, up to {@code maxBackoff}) and tries again; an order is never guessed
 * at.
 *
 * <p>Several reconcilers on one database (several order services) split the work: due orders are
 * claimed in batches, in one transaction per batch, with {@code FOR UPDATE SKIP LOCKED} and a lease
 * (three times the call timeout), so each order is asked about by one reconciler; an order whose
 * settle failed is given back at once, and one whose reconciler crashed comes free when its lease
 * ends. Every change is still conditional on the order being PENDING, so no order is ever settled
 * twice.
 *
 * <p>Thread-safe. {@link #start()} runs it on a daemon thread; {@link #close()} stops it.
 */
public final class OrderReconciler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OrderReconciler.class);
    private static final int BATCH = 100;
    /** Orders settled at once unless set. */
    public static final int DEFAULT_PARALLELISM = 16;

    private final JdbcOrderStore store;
    private final InventoryClient inventory;
    private final InstantSource clock;
    private final Duration settleAfter;
    private final Duration interval;
    private final Duration maxBackoff;
    private final Duration callTimeout;
    private final int parallelism;
    /**
     * How long a claimed order is left to this reconciler: past the two inventory calls a settle
     * makes, each bounded by {@code callTimeout}, with room to spare.
     */
    private final Duration claimLease;

    private final ScheduledExecutorService executor;
    private final Map<OrderStatus, LongAdder> settled = new EnumMap<>(OrderStatus.class);
    private final Recorder settleMillis = new Recorder(3_600_000L, 2);
    private final AtomicLong consecutiveFailures = new AtomicLong();
    /** The orders the background cycle is settling now, so that no pass starts one twice. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    private final Semaphore backgroundSlots;
    private final ExecutorService backgroundCalls = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("valerix-order-settle-", 0).factory());
    /** Set by a background settle that could not reach inventory; the next cycle backs off. */
    private final AtomicReference<InventoryUnavailableException> unavailable = new AtomicReference<>();

    private volatile long lastPendingCount;

    private OrderReconciler(Builder builder) {
        this.store = builder.service.store();
        this.inventory = builder.service.inventory();
        this.clock = builder.service.clock();
        this.settleAfter = builder.settleAfter != null
                ? builder.settleAfter
                : builder.service.timeout().plusSeconds(1);
        this.interval = builder.interval;
        this.maxBackoff = builder.maxBackoff;
        this.callTimeout = builder.callTimeout;
        this.parallelism = builder.parallelism;
        this.claimLease = builder.callTimeout.multipliedBy(3);
        this.backgroundSlots = new Semaphore(parallelism);
        for (OrderStatus status : OrderStatus.values()) {
            settled.put(status, new LongAdder());
        }
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "valerix-order-reconciler");
            thread.setDaemon(true);
            return thread;
        });
        if (settleAfter.compareTo(builder.service.timeout()) <= 0) {
            throw new IllegalArgumentException("settleAfter must be longer than the order timeout "
                    + builder.service.timeout() + ", but was " + settleAfter);
        }
    }

    /** A reconciler for the orders of {@code service}. */
    public static Builder builder(OrderService service) {
        return new Builder(service);
    }

    /** Starts settling in the background, every {@code interval}, backing off while inventory is down. */
    public OrderReconciler start() {
        executor.schedule(this::cycle, 0, TimeUnit.MILLISECONDS);
        return this;
    }

    private void cycle() {
        long delay = interval.toMillis();
        try {
            InventoryUnavailableException down = unavailable.getAndSet(null);
            if (down != null) {
                long failures = consecutiveFailures.incrementAndGet();
                delay = Math.min(maxBackoff.toMillis(), interval.toMillis() << Math.min(failures, 20));
                log.warn(
                        "inventory unavailable while settling orders; next try in {} ms: {}", delay, down.getMessage());
            } else {
                startDue();
            }
        } catch (RuntimeException e) {
            log.error("settling orders failed", e);
        } finally {
            if (!executor.isShutdown()) {
                executor.schedule(this::cycle, delay, TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Starts settling the due orders that are not being settled already, as many as there are free
     * slots, and does not wait for them. A pass that waited for all of its orders waited for the
     * slowest inventory answer (up to 5 s under the gremlin), and orders that fell due meanwhile
     * waited for that pass: settling 140 orders took 19 s instead of 5.
     */
    private void startDue() {
        int free = backgroundSlots.availablePermits();
        if (free > 0) {
            List<Order> due = claimDue(free);
            List<String> unstarted = new ArrayList<>();
            for (Order order : due) {
                if (inFlight.contains(order.orderId()) || !backgroundSlots.tryAcquire()) {
                    unstarted.add(order.orderId());
                    continue;
                }
                inFlight.add(order.orderId());
                backgroundCalls.execute(() -> settleInBackground(order));
            }
            store.releaseClaims(unstarted, Deadline.after(callTimeout));
        }
        lastPendingCount = store.countPending();
    }

    /**
     * Claims up to {@code limit} due orders for this reconciler, in one transaction: other
     * reconcilers on the database skip them until the lease ends, so each order is worked on by one.
     */
    private List<Order> claimDue(int limit) {
        Instant now = clock.instant();
        return store.claimDue(now.minus(settleAfter), now, now.plus(claimLease), limit, Deadline.after(callTimeout));
    }

    private void settleInBackground(Order order) {
        try {
            settle(order);
            consecutiveFailures.set(0);
        } catch (InventoryUnavailableException e) {
            // After close() the calls in flight are interrupted; inventory is not the one at fault.
            if (!executor.isShutdown()) {
                unavailable.set(e);
                releaseQuietly(List.of(order.orderId()));
            }
        } catch (RuntimeException e) {
            log.error("settling order {} failed", order.orderId(), e);
            releaseQuietly(List.of(order.orderId()));
        } finally {
            inFlight.remove(order.orderId());
            backgroundSlots.release();
        }
    }

    /**
     * Settles every PENDING order older than {@code settleAfter}, oldest first, up to {@code
     * parallelism} at a time.
     *
     * @return how many orders this call settled
     * @throws InventoryUnavailableException if inventory could not be asked; orders settled before
     *     that stay settled, and no more are started in this call
     */
    public int settleOnce() {
        int count = 0;
        while (true) {
            List<Order> pending = claimDue(BATCH);
            count += settleAll(pending);
            if (Thread.currentThread().isInterrupted()) {
                // close(): no more batches; the database is not to be touched with the flag set.
                return count;
            }
            if (pending.size() < BATCH) {
                lastPendingCount = store.countPending();
                return count;
            }
        }
    }

    /**
     * Settles {@code orders} side by side. Each waits on inventory, which may take seconds to
     * answer (the gremlin delays up to 5 s): one at a time, 100 pending orders took minutes.
     */
    private int settleAll(List<Order> orders) {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Future<Boolean>> results = new ArrayList<>();
        Semaphore slots = new Semaphore(parallelism);
        try (ExecutorService calls = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("valerix-order-settle-", 0).factory())) {
            for (Order order : orders) {
                try {
                    slots.acquire();
                } catch (InterruptedException e) {
                    // close(): with the flag set again, the executor's close cancels the calls in flight
                    // instead of waiting out their deadlines.
                    Thread.currentThread().interrupt();
                    break;
                }
                if (failure.get() != null) {
                    // Inventory is down or refusing: the rest waits for the next pass and its backoff.
                    slots.release();
                    break;
                }
                results.add(calls.submit(() -> {
                    try {
                        return settle(order);
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                        throw e;
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        int settledNow = 0;
        List<String> unsettled = new ArrayList<>();
        for (int i = 0; i < orders.size(); i++) {
            Future<Boolean> result = i < results.size() ? results.get(i) : null;
            if (result != null && result.state() == Future.State.SUCCESS) {
                settledNow += result.resultNow() ? 1 : 0;
            } else {
                unsettled.add(orders.get(i).orderId());
            }
        }
        // Claimed but not settled (inventory failed, or close()): free for the next pass at once.
        releaseQuietly(unsettled);
        if (failure.get() != null) {
            throw failure.get();
        }
        return settledNow;
    }

    private void releaseQuietly(List<String> orderIds) {
        if (orderIds.isEmpty() || Thread.currentThread().isInterrupted()) {
            return; // after close() the lease simply runs out
        }
        try {
            store.releaseClaims(orderIds, Deadline.after(callTimeout));
        } catch (RuntimeException e) {
            log.warn(
                    "could not release the claims on {} orders; they wait for their lease to end: {}",
                    orderIds.size(),
                    e.getMessage());
        }
    }

    private boolean settle(Order order) {
        MDC.put("orderId", order.orderId());
        try {
            ReservationStatus status = inventory.find(order.orderId(), Deadline.after(callTimeout));
            if (status == ReservationStatus.NOT_FOUND) {
                status = inventory.cancel(order.orderId(), Deadline.after(callTimeout));
            }
            return switch (status) {
                case RESERVED -> finish(order, OrderStatus.CONFIRMED, OrderMessages.CONFIRMED);
                case REJECTED -> finish(order, OrderStatus.REJECTED, OrderMessages.OUT_OF_STOCK);
                case RELEASED, CANCELLED, NOT_FOUND -> finish(order, OrderStatus.FAILED, OrderMessages.CANCELLED);
            };
        } catch (InventoryRefusedException refused) {
            return finish(
                    order, OrderStatus.FAILED, "Failed: inventory refused the order (" + refused.getMessage() + ").");
        } finally {
            MDC.remove("orderId");
        }
    }

    private boolean finish(Order order, OrderStatus status, String message) {
        Instant now = clock.instant();
        if (!store.settle(order.orderId(), status, message, now)) {
            return false;
        }
        settled.get(status).increment();
        settleMillis.recordValue(Math.max(
                0, Math.min(3_600_000L, Duration.between(order.createdAt(), now).toMillis())));
        log.info("settled order {} as {}", order.orderId(), status);
        return true;
    }

    /** Orders settled by this reconciler, by the status they ended in. */
    public Map<OrderStatus, Long> settledCounts() {
        Map<OrderStatus, Long> counts = new EnumMap<>(OrderStatus.class);
        settled.forEach((status, adder) -> counts.put(status, adder.sum()));
        return counts;
    }

    /** PENDING orders at the end of the last pass. */
    public long pendingCount() {
        return lastPendingCount;
    }

    /** Settle times (creation to settlement) since the last call, in milliseconds. */
    public org.HdrHistogram.Histogram settleTimesSinceLastCall() {
        return settleMillis.getIntervalHistogram();
    }

    /** Stops the background cycle and cancels the settles in flight; their orders stay PENDING. */
    @Override
    public void close() {
        executor.shutdownNow();
        backgroundCalls.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
            backgroundCalls.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builds an {@link OrderReconciler}. */
    public static final class Builder {
        private final OrderService service;
        private Duration settleAfter;
        private Duration interval = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration callTimeout = Duration.ofSeconds(10);
        private int parallelism = DEFAULT_PARALLELISM;

        private Builder(OrderService service) {
            this.service = Objects.requireNonNull(service, "service");
        }

        /** How old a PENDING order must be before it is settled; longer than the order timeout. Default timeout + 1 s. */
        public Builder settleAfter(Duration settleAfter) {
            this.settleAfter = Objects.requireNonNull(settleAfter, "settleAfter");
            return this;
        }

        /** The pause between passes; 500 ms by default. */
        public Builder interval(Duration interval) {
            this.interval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** The longest pause while inventory is down; 30 s by default. */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
            return this;
        }

        /** The deadline of each inventory call the reconciler makes; 10 s by default. */
        public Builder callTimeout(Duration callTimeout) {
            this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
            return this;
        }

        /** How many orders are settled at once, each waiting on its own inventory calls; {@value #DEFAULT_PARALLELISM} by default. */
        public Builder parallelism(int parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        public OrderReconciler build() {
            if (parallelism < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1, but was " + parallelism);
            }
            if (interval.toMillis() < 1) {
                throw new IllegalArgumentException("interval must be at least 1 ms, but was " + interval);
            }
            if (maxBackoff.compareTo(interval) < 0) {
                throw new IllegalArgumentException(
                        "maxBackoff must be at least the interval " + interval + ", but was " + maxBackoff);
            }
            if (callTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("callTimeout must be at least 1 ms, but was " + callTimeout);
            }
            return new OrderReconciler(this);
        }
    }
}
