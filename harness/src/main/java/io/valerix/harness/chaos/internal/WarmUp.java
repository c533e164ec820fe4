package io.valerix.harness.chaos.internal;

import io.valerix.harness.chaos.DatabaseSnapshot.StockRow;
import io.valerix.harness.chaos.ServiceTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few real orders before the run, so the baseline measures warm services (compiled code, open
 * connections, warm database caches) rather than a cold start. They are placed under their own
 * prefix ({@code warmup-<runId>-n}), one unit each of the most plentiful SKU, before the run's
 * stock is read, so the check never sees them. Failures are ignored: the run itself will say if
 * the services do not work.
 */
public final class WarmUp {

    public static final int ORDERS = 40;
    private static final int THREADS = 4;

    private WarmUp() {}

    public static void run(ServiceTarget target, String runId, List<StockRow> stock) throws InterruptedException {
        StockRow plentiful = stock.stream()
                .max(Comparator.comparingLong(StockRow::available))
                .orElse(null);
        if (plentiful == null || plentiful.available() < ORDERS * 4L) {
            return;
        }
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        try (HttpJson http = new HttpJson(Duration.ofSeconds(10))) {
            for (int t = 0; t < THREADS; t++) {
                threads.add(Thread.ofVirtual().name("chaos-warmup").start(() -> {
                    for (int n; (n = next.getAndIncrement()) < ORDERS; ) {
                        String id = "warmup-" + runId + "-" + n;
                        try {
                            http.post(
                                    target.orderUri(),
                                    "/orders",
                                    Map.of("orderId", id, "sku", plentiful.sku(), "quantity", 1),
                                    "Idempotency-Key",
                                    id);
                            http.get(target.orderUri(), "/orders/" + id, null);
                        } catch (RuntimeException ignored) {
                            // The run itself reports services that do not answer.
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(30));
            }
        }
    }
}
