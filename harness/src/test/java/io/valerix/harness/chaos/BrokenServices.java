package io.valerix.harness.chaos;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinAdmin;
import io.valerix.core.gremlin.GremlinFilter;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.http.Filter;
import io.valerix.core.http.JsonServer;
import io.valerix.core.jdbc.H2Database;
import io.valerix.inventory.InventoryConfig;
import io.valerix.inventory.InventoryHttpApi;
import io.valerix.inventory.InventoryService;
import io.valerix.order.OrderServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An order service and an inventory wired like the real pair but built by a test, so the test can
 * break them: wrap the inventory service, or add filters that change data behind the services'
 * backs. The chaos command drives them through their URLs, as it would any running pair.
 */
final class BrokenServices implements AutoCloseable {

    static final String TOKEN = "test-admin-token-0123456789";

    final HikariDataSource inventoryDb;
    final HikariDataSource orderDb;
    final InventoryService realInventory;
    private final List<AutoCloseable> closing = new ArrayList<>();
    final URI inventoryUri;
    final URI orderUri;

    /**
     * @param inventory wraps the real inventory service (or returns it as it is)
     * @param inventoryFilter an extra filter inside the inventory's gremlin, or null
     * @param orderFilter an extra filter outside the order service's idempotency filter, or null
     */
    BrokenServices(
            Path dir,
            java.util.function.UnaryOperator<InventoryService> inventory,
            Filter inventoryFilter,
            Filter orderFilter) {
        inventoryDb = H2Database.open(dir.resolve("inventory"), "inventory", 10);
        closing.add(inventoryDb);
        realInventory = InventoryService.create(
                inventoryDb,
                InventoryConfig.builder()
                        .stock("widget=400,gadget=150,gizmo=60,doohickey=15")
                        .build());
        Gremlin gremlin = Gremlin.builder(7).build();
        JsonServer.Builder inventoryServer = JsonServer.builder()
                .name("broken-inventory")
                .port(0)
                .filter(BearerTokenFilter.admin(TOKEN))
                .filter(GremlinFilter.of(gremlin));
        if (inventoryFilter != null) {
            inventoryServer.filter(inventoryFilter);
        }
        GremlinAdmin.install(inventoryServer, gremlin, TOKEN);
        JsonServer inventoryHttp = InventoryHttpApi.install(inventoryServer, inventory.apply(realInventory))
                .build()
                .start();
        closing.add(0, inventoryHttp::close);
        inventoryUri = inventoryHttp.uri();

        orderDb = H2Database.open(dir.resolve("orders"), "orders", 16);
        closing.add(0, orderDb);
        OrderServer.Builder order = OrderServer.builder()
                .name("order-under-test")
                .dataSource(orderDb)
                .inventory(inventoryUri)
                .serviceToken(TOKEN)
                .timeout(Duration.ofMillis(200))
                .port(0)
                .filter(BearerTokenFilter.admin(TOKEN));
        if (orderFilter != null) {
            order.filter(orderFilter);
        }
        OrderServer orderServer = order.build().start();
        closing.add(0, orderServer);
        orderUri = orderServer.uri();
    }

    private final List<URI> moreOrderUris = new ArrayList<>();

    /**
     * Starts another order service on the same order database and inventory, behind {@code filter}
     * (outside its idempotency filter), for runs over several instances; {@link #chaosArgs} then
     * names every instance.
     */
    URI addOrderInstance(Filter filter) {
        OrderServer server = OrderServer.builder()
                .name("order-instance-" + (moreOrderUris.size() + 2))
                .dataSource(orderDb)
                .inventory(inventoryUri)
                .serviceToken(TOKEN)
                .timeout(Duration.ofMillis(200))
                .port(0)
                .filter(BearerTokenFilter.admin(TOKEN))
                .filter(filter)
                .build()
                .start();
        closing.add(0, server);
        moreOrderUris.add(server.uri());
        return server.uri();
    }

    /** The chaos command's arguments for these services, scaled down, followed by {@code more}. */
    String[] chaosArgs(Path runDir, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "chaos",
                "--order-url",
                orderUri.toString(),
                "--inventory-url",
                inventoryUri.toString(),
                "--inventory-admin-token",
                TOKEN,
                "--duration",
                "6s",
                "--rate",
                "40",
                "--gremlin",
                "uniform(0ms,300ms) after",
                "--timeout",
                "200ms",
                "--seed",
                "7",
                "--settle-timeout",
                "10s",
                "--drain-timeout",
                "15s",
                "--out",
                runDir.toString()));
        for (URI instance : moreOrderUris) {
            args.addAll(List.of("--order-url", instance.toString()));
        }
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Override
    public void close() {
        for (AutoCloseable c : closing) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + c + " failed", e);
            }
        }
    }
}
