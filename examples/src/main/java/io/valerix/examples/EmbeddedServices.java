package io.valerix.examples;

// snippet:start embed-imports
import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinAdmin;
import io.valerix.core.gremlin.GremlinFilter;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.health.HealthConfig;
import io.valerix.core.health.HealthReporter;
import io.valerix.core.health.HealthRoutes;
import io.valerix.core.health.LatencyMonitor;
import io.valerix.core.health.LatencyRecordingFilter;
import io.valerix.core.health.MonitoredCalls;
import io.valerix.core.health.PrometheusExposition;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.time.NanoClock;
import io.valerix.inventory.InventoryServer;
import io.valerix.order.OrderServer;
import java.nio.file.Path;
// snippet:end embed-imports
import java.nio.file.Files;

/**
 * Both services embedded in one process with today's builders: inventory with the gremlin in
 * front, {@code /health} and {@code /metrics} on both, the gremlin's admin route behind the
 * admin token, and the order service calling inventory with a service token. The databases are
 * H2 files under a directory of your choice.
 *
 * <p>Run it: {@code java -cp ... io.valerix.examples.EmbeddedServices [dataDir]}; it prints the
 * two addresses and runs until Ctrl-C.
 */
public record EmbeddedServices(OrderServer order, InventoryServer inventory, Gremlin gremlin)
    implements AutoCloseable {

  /** Starts inventory, then the order service pointing at it; who starts them closes them. */
  public static EmbeddedServices start(Path dataDir, String adminToken) {
    // snippet:start embed
    NanoClock clock = NanoClock.system();
    String serviceToken = BearerTokenFilter.randomToken();       // order -> inventory writes
    Gremlin gremlin = Gremlin.builder(42).withSpec(GremlinSpec.parse("uniform(0ms,50ms) after")).build();
    LatencyMonitor inventoryMonitor = LatencyMonitor.create(HealthConfig.defaults(), clock);
    InventoryServer inventory = InventoryServer.builder()
        .dataDirectory(dataDir.resolve("inventory")).stock("widget", 100).serviceToken(serviceToken)
        .filter(new LatencyRecordingFilter(inventoryMonitor, clock))
        .filter(BearerTokenFilter.admin(adminToken))             // /admin/** needs the token
        .filter(GremlinFilter.of(gremlin))
        .extraRoutes(routes -> GremlinAdmin.install(HealthRoutes.install(routes, HealthReporter.builder(inventoryMonitor).build(),
            PrometheusExposition.builder().source(inventoryMonitor).build()), gremlin))
        .build().start();
    LatencyMonitor orderMonitor = LatencyMonitor.create(HealthConfig.defaults(), clock);
    OrderServer order = OrderServer.builder()
        .dataDirectory(dataDir.resolve("orders")).inventory(inventory.uri()).serviceToken(serviceToken)
        .inventoryCallListener(MonitoredCalls.into(orderMonitor))
        .filter(new LatencyRecordingFilter(orderMonitor, clock))
        .extraRoutes(routes -> HealthRoutes.install(routes, HealthReporter.builder(orderMonitor).build(),
            PrometheusExposition.builder().source(orderMonitor).build()))
        .build().start();
    // snippet:end embed
    return new EmbeddedServices(order, inventory, gremlin);
  }

  @Override
  public void close() {
    order.close();
    inventory.close();
  }

  public static void main(String[] args) throws Exception {
    Path dataDir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("valerix-example");
    String adminToken = BearerTokenFilter.randomToken();
    EmbeddedServices services = start(dataDir, adminToken);
    Runtime.getRuntime().addShutdownHook(new Thread(services::close));
    // An example's own output: printing is what it is for.
    System.out.println("order service     " + services.order().uri() + "  (POST /orders, GET /health, GET /metrics)");
    System.out.println("inventory service " + services.inventory().uri() + "  (PUT /admin/gremlin with 'Authorization: Bearer " + adminToken + "')");
    Thread.currentThread().join();
  }
}
