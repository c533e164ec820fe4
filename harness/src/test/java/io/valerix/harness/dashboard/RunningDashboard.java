package io.valerix.harness.dashboard;

import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.health.HealthConfig;
import io.valerix.harness.services.ServicePair;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Both services and a dashboard watching them, on free loopback ports; closes in the right order. */
final class RunningDashboard implements AutoCloseable {

    static final String TOKEN = "dashboard-test-token-0123456789";
    /** A short window so lights change within seconds, not ten. */
    static final HealthConfig SHORT_WINDOW = HealthConfig.builder()
            .window(Duration.ofSeconds(3))
            .slice(Duration.ofMillis(500))
            .build();

    final ServicePair pair;
    final Dashboard dashboard;

    private RunningDashboard(ServicePair pair, Dashboard dashboard) {
        this.pair = pair;
        this.dashboard = dashboard;
    }

    static RunningDashboard start(Path dataDir, HealthConfig health, Duration timeout) {
        return start(dataDir, health, timeout, 0, 0);
    }

    static RunningDashboard start(
            Path dataDir, HealthConfig health, Duration timeout, int orderPort, int inventoryPort) {
        return start(dataDir, health, timeout, orderPort, inventoryPort, Dashboard.builder());
    }

    static RunningDashboard start(
            Path dataDir,
            HealthConfig health,
            Duration timeout,
            int orderPort,
            int inventoryPort,
            Dashboard.Builder dashboardSettings) {
        Map<String, Integer> stock = new LinkedHashMap<>();
        stock.put("widget", 10_000);
        stock.put("gadget", 500);
        stock.put("gizmo", 5);
        ServicePair.Settings settings = new ServicePair.Settings(
                orderPort, inventoryPort, GremlinSpec.none(), 42, timeout, stock, TOKEN, dataDir, health);
        Dashboard dashboard = dashboardSettings.adminToken(TOKEN).build();
        ServicePair pair = ServicePair.start(settings, dashboard::install);
        dashboard.watch(pair);
        return new RunningDashboard(pair, dashboard);
    }

    URI order(String path) {
        return pair.orderUri().resolve(path);
    }

    URI inventory(String path) {
        return pair.inventoryUri().resolve(path);
    }

    @Override
    public void close() {
        try {
            dashboard.close();
        } finally {
            pair.close();
        }
    }
}
