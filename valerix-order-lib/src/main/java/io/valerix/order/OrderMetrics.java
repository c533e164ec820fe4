package io.valerix.order;

import io.valerix.core.health.MetricsSource;
import io.valerix.core.health.MetricsWriter;
import java.util.Map;
import java.util.Objects;

/**
 * The order service's own Prometheus metrics: {@code valerix_orders{status}} (orders by status,
 * PENDING among them) and {@code valerix_orders_settled_total{status}} (orders the reconciler
 * settled, by the status they ended in).
 */
public final class OrderMetrics implements MetricsSource {

    private final OrderService service;
    private final OrderReconciler reconciler;

    public OrderMetrics(OrderService service, OrderReconciler reconciler) {
        this.service = Objects.requireNonNull(service, "service");
        this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
    }

    @Override
    public void writeTo(MetricsWriter writer) {
        MetricsWriter.Family orders = writer.gauge("valerix_orders", "Orders in the order database, by status.");
        for (Map.Entry<OrderStatus, Long> entry : service.countByStatus().entrySet()) {
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
}
