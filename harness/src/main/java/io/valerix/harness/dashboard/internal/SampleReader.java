package io.valerix.harness.dashboard.internal;

import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.health.HealthConfig;
import io.valerix.core.health.HealthReport;
import io.valerix.core.health.LatencyMonitor;
import io.valerix.core.health.LightTransition;
import io.valerix.core.health.WindowHealth;
import io.valerix.harness.services.ServicePair;
import io.valerix.inventory.StockLevel;
import io.valerix.order.OrderStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one {@link Sample} from a running {@link ServicePair}: the lights from the very monitors
 * behind {@code /health} (reading them judges them, as a {@code /health} request does), order
 * counts and stock from the services' own databases, the gremlin in-process.
 *
 * <p>Stock is read in-process rather than through inventory's {@code GET /inventory}: that route
 * is behind the gremlin, so the dashboard would show stale stock exactly when inventory is slow,
 * and its own polling would add requests to the latencies it is there to watch.
 *
 * <p>Thread-safe if used by one thread at a time (the sampler's).
 */
public final class SampleReader {

    private static final Logger log = LoggerFactory.getLogger(SampleReader.class);

    /** Scope ids, in the order the page shows them. */
    public static final String ORDER = "order";

    public static final String INVENTORY = "inventory";
    public static final String INVENTORY_FROM_ORDER = "inventory-from-order";

    /** How many light changes a sample carries per scope; the monitor keeps more. */
    static final int TRANSITIONS_SHOWN = 20;

    /**
     * The database reads take at most this fraction of the time: after a read that took t, the next
     * is at least 20 t later. On a small database that is every sample; a database of millions of
     * orders is read less often, rather than loading the services it watches.
     */
    private static final int DATABASE_COST_DIVISOR = 20;

    private final ServicePair pair;
    private String lastProblem;
    private long nextDatabaseRead = System.nanoTime();
    private Map<OrderStatus, Long> orders;
    private List<StockLevel> stock;

    public SampleReader(ServicePair pair) {
        this.pair = Objects.requireNonNull(pair, "pair");
    }

    /** Reads everything now; a part that cannot be read is null and named in {@code problems}. */
    public Sample read(long seq) {
        List<String> problems = new ArrayList<>();
        long startedAtMs = pair.startedAt().toEpochMilli();
        Duration elapsed = pair.elapsed();
        long atMs = Instant.now().toEpochMilli();

        LatencyMonitor orderMonitor = pair.orderMonitor();
        LatencyMonitor inventoryMonitor = pair.inventoryMonitor();
        List<Sample.ScopeView> scopes = List.of(
                scope(ORDER, "Order service", orderMonitor.server(), orderMonitor.config(), startedAtMs),
                scope(
                        INVENTORY,
                        "Inventory service",
                        inventoryMonitor.server(),
                        inventoryMonitor.config(),
                        startedAtMs),
                scope(
                        INVENTORY_FROM_ORDER,
                        "Inventory, as the order service sees it",
                        orderMonitor.dependencies().get("inventory"),
                        orderMonitor.config(),
                        startedAtMs));

        long now = System.nanoTime();
        if (now - nextDatabaseRead >= 0) {
            readDatabases(problems);
            long cost = System.nanoTime() - now;
            nextDatabaseRead = now + cost * DATABASE_COST_DIVISOR;
        }
        Map<OrderStatus, Long> orders = this.orders;
        List<StockLevel> stock = this.stock;
        Gremlin gremlin = pair.gremlin();
        Sample.GremlinView gremlinView = new Sample.GremlinView(
                gremlin.spec().toText(), gremlin.seed(), gremlin.counts().asMap());
        logChange(problems);
        return new Sample(
                seq, atMs, millis(elapsed), startedAtMs, scopes, orders, stock, gremlinView, List.copyOf(problems));
    }

    /**
     * Order counts and stock levels, read from both databases. Counting by status reads every row
     * (as does summing reservations), so on a big database this is the expensive part of a sample.
     */
    private void readDatabases(List<String> problems) {
        orders = null;
        stock = null;
        try {
            orders = new EnumMap<>(pair.order().service().countByStatus());
        } catch (RuntimeException e) {
            problems.add("order counts could not be read: " + e.getMessage());
        }
        try {
            stock = List.copyOf(pair.inventory().service().stockLevels());
        } catch (RuntimeException e) {
            problems.add("stock could not be read: " + e.getMessage());
        }
    }

    private static Sample.ScopeView scope(
            String id, String title, WindowHealth health, HealthConfig config, long startedAtMs) {
        long thresholdMs = config.threshold().toMillis();
        long recoveryMs = Math.round(config.threshold().toMillis() * config.recoveryRatio());
        long windowMs = config.window().toMillis();
        if (health == null) {
            // The order monitor names "inventory" from the start, so this is only a guard.
            return new Sample.ScopeView(
                    id, title, "IDLE", thresholdMs, recoveryMs, windowMs, 0, 0, 0, null, null, null, null, List.of());
        }
        // The same figures and rounding as GET /health, so the two never disagree in print.
        HealthReport.Dependency f = HealthReport.Dependency.of(health);
        boolean empty = health.window().isEmpty();
        List<LightTransition> all = health.transitions();
        List<Sample.TransitionView> transitions =
                all.subList(Math.max(0, all.size() - TRANSITIONS_SHOWN), all.size()).stream()
                        .map(t -> new Sample.TransitionView(
                                millis(t.sinceStart()),
                                startedAtMs + t.sinceStart().toMillis(),
                                t.from().name(),
                                t.to().name(),
                                millis(t.p99())))
                        .toList();
        return new Sample.ScopeView(
                id,
                title,
                health.light().name(),
                thresholdMs,
                recoveryMs,
                windowMs,
                f.count(),
                f.ratePerSecond(),
                f.errorRate(),
                empty ? null : f.p50Ms(),
                empty ? null : f.p90Ms(),
                empty ? null : f.p99Ms(),
                empty ? null : f.maxMs(),
                transitions);
    }

    /** Milliseconds to the microsecond, as {@code /health} prints latencies. */
    static double millis(Duration d) {
        return Math.round(d.toNanos() / 1e3) / 1e3;
    }

    // Once per change, not once a second: a broken database would otherwise flood the log.
    private void logChange(List<String> problems) {
        String problem = problems.isEmpty() ? null : String.join("; ", problems);
        if (!Objects.equals(problem, lastProblem)) {
            if (problem != null) {
                log.warn("dashboard: {}", problem);
            } else {
                log.info("dashboard: everything can be read again");
            }
            lastProblem = problem;
        }
    }
}
