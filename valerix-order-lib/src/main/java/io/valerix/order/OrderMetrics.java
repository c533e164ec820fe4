package io.valerix.order;

import io.valerix.core.health.MetricsSource;
import io.valerix.core.health.MetricsWriter;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The order service's own Prometheus metrics: {@code valerix_orders{status}} (orders by status,
 * PENDING among them) and {@code valerix_orders_settled_total{status}} (orders the reconciler
 * settled, by the status they ended in).
 *
 * <p>Counting orders by status reads the whole orders table, which only grows. So a scrape reuses
 * the last count until {@link #MIN_COUNT_INTERVAL} has passed and until twenty times that count's
 * own cost has: however often {@code /metrics} is scraped, and by how many scrapers, counting takes
 * at most a twentieth of one connection's time. Scrapes that arrive while a count runs wait for it
 * instead of starting their own. Keep one instance per service.
 */
public final class OrderMetrics implements MetricsSource {

    /** The shortest time between two counts of the orders table. */
    public static final Duration MIN_COUNT_INTERVAL = Duration.ofSeconds(1);
    /** After a count that took t, the next one is at least this many t later. */
    private static final int COST_MULTIPLE = 20;

    private final OrderService service;
    private final OrderReconciler reconciler;
    private final LongSupplier nanoClock;
    private final ReentrantLock counting = new ReentrantLock();
    private Map<OrderStatus, Long> counts;
    private long nextCountAt;

    public OrderMetrics(OrderService service, OrderReconciler reconciler) {
        this(service, reconciler, System::nanoTime);
    }

    OrderMetrics(OrderService service, OrderReconciler reconciler, LongSupplier nanoClock) {
        this.service = Objects.requireNonNull(service, "service");
        this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    @Override
    public void writeTo(MetricsWriter writer) {
        MetricsWriter.Family orders = writer.gauge("valerix_orders", "Orders in the order database, by status.");
        for (Map.Entry<OrderStatus, Long> entry : countsByStatus().entrySet()) {
            orders.sample(entry.getValue(), "status", entry.getKey().name());
        }
        MetricsWriter.Family settled =
                writer.counter("valerix_orders_settled_total", "PENDING orders the reconciler settled, by outcome.");
        for (Map.Entry<OrderStatus, Long> entry : reconciler.settledCounts().entrySet()) {
            if (entry.getKey().isFinal()) {
                settled.sample(entry.getValue(), "status", entry.getKey().name());
            }
        }
    }

    private Map<OrderStatus, Long> countsByStatus() {
        counting.lock();
        try {
            long start = nanoClock.getAsLong();
            if (counts == null || start - nextCountAt >= 0) {
                counts = Collections.unmodifiableMap(new EnumMap<>(service.countByStatus()));
                long end = nanoClock.getAsLong();
                nextCountAt = end + Math.max(MIN_COUNT_INTERVAL.toNanos(), COST_MULTIPLE * (end - start));
            }
            return counts;
        } finally {
            counting.unlock();
        }
    }
}
