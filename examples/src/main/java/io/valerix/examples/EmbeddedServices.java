package io.valerix.examples;

// snippet:start embed-imports
import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.service.ServiceKit;
import io.valerix.inventory.InventoryServer;
import io.valerix.order.OrderServer;
import java.nio.file.Files;
import java.nio.file.Path;
// snippet:end embed-imports

/**
 * Both services embedded in one process, each with the service kit: the latency light, {@code
 * /health} and {@code /metrics} on both, the gremlin in front of inventory with its admin route
 * behind the admin token, and the order service calling inventory with a service token (its calls
 * timed on its own light). The databases are H2 files under a directory of your choice.
 *
 * <p>Run it: {@code java -cp ... io.valerix.examples.EmbeddedServices [dataDir]}; it prints the
 * two addresses and runs until Ctrl-C.
 */
public record EmbeddedServices(OrderServer order, InventoryServer inventory, Gremlin gremlin) implements AutoCloseable {

    /** Starts inventory, then the order service pointing at it; who starts them closes them. */
    public static EmbeddedServices start(Path dataDir, String adminToken) {
        // snippet:start embed
        String serviceToken = BearerTokenFilter.randomToken(); // order -> inventory writes
        Gremlin gremlin = Gremlin.builder(42)
                .spec(GremlinSpec.parse("uniform(0ms,50ms) after"))
                .build();
        ServiceKit kit =
                ServiceKit.builder().adminToken(adminToken).gremlin(gremlin).build();
        InventoryServer inventory = InventoryServer.builder()
                .dataDirectory(dataDir.resolve("inventory"))
                .stock("widget", 100)
                .serviceToken(serviceToken)
                .kit(kit)
                .build()
                .start();
        OrderServer order = OrderServer.builder()
                .dataDirectory(dataDir.resolve("orders"))
                .inventory(inventory.uri())
                .serviceToken(serviceToken)
                .kit(ServiceKit.builder().adminToken(adminToken).build())
                .build()
                .start();
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
        System.out.println(
                "order service     " + services.order().uri() + "  (POST /orders, GET /health, GET /metrics)");
        System.out.println("inventory service " + services.inventory().uri()
                + "  (PUT /admin/gremlin with 'Authorization: Bearer " + adminToken + "')");
        Thread.currentThread().join();
    }
}
