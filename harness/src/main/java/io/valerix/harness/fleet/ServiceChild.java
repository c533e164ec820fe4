package io.valerix.harness.fleet;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.health.HealthConfig;
import io.valerix.core.health.LatencyMonitor;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.jdbc.PostgresDatabase;
import io.valerix.core.service.ServiceKit;
import io.valerix.core.time.NanoClock;
import io.valerix.harness.services.ServicePair;
import io.valerix.harness.services.Storage;
import io.valerix.inventory.InventoryServer;
import io.valerix.order.OrderServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The child JVM of a {@link ServiceFleet}: ONE service (inventory, or one order instance), wired
 * as {@link io.valerix.harness.services.ServicePair} wires it (latency monitor, {@code /health}, {@code
 * /metrics}, admin token, the gremlin in front of inventory), on the data it is given, until its
 * parent stops it (SIGTERM: graceful) or dies ({@link ParentWatch}: halt). Not for users; {@code
 * valerix up --fork} and {@code valerix chaos --fork} start it.
 *
 * <p>Tokens come from {@value ServicePair#ADMIN_TOKEN_ENV} and {@value
 * ServicePair#SERVICE_TOKEN_ENV}, PostgreSQL credentials from the {@link Storage} variables,
 * never from the command line. Once serving it prints {@value #ANNOUNCEMENT} followed by its
 * instance id and address on one line of standard output.
 *
 * <p>No backup journal is written here: the harness's journal archiving is for the in-process pair
 * on H2, and on PostgreSQL continuous archiving is the server's own WAL.
 */
@Command(
        name = "serve",
        description = "One Valerix service in this JVM, for a harness that runs each service as a process.")
public final class ServiceChild implements Callable<Integer> {

    /** The start of the line a child prints once it serves: {@code "<announcement> <instance-id> <uri>"}. */
    public static final String ANNOUNCEMENT = "valerix-service-up";

    @Option(names = "--service", required = true, description = "order or inventory")
    String service;

    /**
     * This process's stable identity across restarts, e.g. {@code order-2}. The idempotency leases
     * work (issue 15.3) will key its claims by it plus a boot epoch; until OrderServer takes it, it
     * names the server and its log lines only.
     */
    @Option(
            names = "--instance-id",
            required = true,
            description = "This instance's stable id, e.g. order-1; the same after a restart.")
    String instanceId;

    @Option(names = "--port", description = "The port; 0 picks a free one.")
    int port;

    @Option(names = "--inventory-url", description = "Order service: where inventory is.")
    URI inventoryUrl;

    @Option(names = "--data-dir", description = "H2: the directory its database lives in (as in valerix up).")
    Path dataDir;

    @Option(names = "--db-url", description = "PostgreSQL: its database's JDBC URL; credentials from the environment.")
    String dbUrl;

    @Option(names = "--timeout", description = "Order service: the order timeout, ISO-8601 (PT2S).")
    Duration timeout = Duration.ofSeconds(2);

    @Option(names = "--gremlin", description = "Inventory: its gremlin spec.")
    String gremlin = "none";

    @Option(names = "--seed", description = "Inventory: the gremlin's seed.")
    long seed;

    @Option(
            names = "--stock",
            description = "Inventory: the stock, SKU=QTY,… (only SKUs not yet in the database are stocked).")
    String stock = ServicePair.DEFAULT_STOCK;

    public static void main(String[] args) {
        ParentWatch.haltWhenStdinEnds();
        int exit = new CommandLine(new ServiceChild()).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = System.getenv();
        String adminToken = BearerTokenFilter.validToken("admin", env.get(ServicePair.ADMIN_TOKEN_ENV));
        String serviceToken = BearerTokenFilter.validToken("service", env.get(ServicePair.SERVICE_TOKEN_ENV));
        AutoCloseable running;
        URI uri;
        switch (service) {
            case "inventory" -> {
                InventoryServer server = inventory(env, adminToken, serviceToken);
                running = server;
                uri = server.uri();
            }
            case "order" -> {
                OrderServer server = order(env, adminToken, serviceToken);
                running = server;
                uri = server.uri();
            }
            default ->
                throw new CommandLine.ParameterException(
                        new CommandLine(this), "--service is order or inventory, but was " + service);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                running.close();
                            } catch (Exception e) {
                                // The process ends anyway; the parent's log has stderr.
                                e.printStackTrace();
                            }
                            stopped.countDown();
                        },
                        "valerix-service-shutdown"));
        System.out.println(ANNOUNCEMENT + " " + instanceId + " " + uri);
        System.out.flush();
        stopped.await();
        return 0;
    }

    private InventoryServer inventory(Map<String, String> env, String adminToken, String serviceToken) {
        Gremlin gremlinFilter =
                Gremlin.builder(seed).spec(GremlinSpec.parse(gremlin)).build();
        HikariDataSource database = open(
                env,
                InventoryServer.DATABASE_NAME,
                Storage.INVENTORY_USER_ENV,
                Storage.INVENTORY_PASSWORD_ENV,
                InventoryServer.DEFAULT_MAX_POOL_SIZE);
        InventoryServer.Builder builder = InventoryServer.builder()
                .name(instanceId)
                .dataSource(database)
                .port(port)
                .serviceToken(serviceToken)
                .kit(ServiceKit.builder()
                        .adminToken(adminToken)
                        .gremlin(gremlinFilter)
                        .build())
                .stock(stock);
        try {
            return builder.build().start();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private OrderServer order(Map<String, String> env, String adminToken, String serviceToken) {
        if (inventoryUrl == null) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--inventory-url is needed for the order service");
        }
        LatencyMonitor monitor = LatencyMonitor.of(
                HealthConfig.defaults().toBuilder().dependencies("inventory").build(), NanoClock.system());
        HikariDataSource database = open(
                env,
                OrderServer.DATABASE_NAME,
                Storage.ORDER_USER_ENV,
                Storage.ORDER_PASSWORD_ENV,
                OrderServer.DEFAULT_MAX_POOL_SIZE);
        // The instance id names the server and its idempotency claims: a restart under the same id frees
        // the claims its killed predecessor held at once, and other instances take them over once its
        // heartbeat is stale.
        OrderServer.Builder builder = OrderServer.builder()
                .name(instanceId)
                .instanceId(instanceId)
                .dataSource(database)
                .inventory(inventoryUrl)
                .serviceToken(serviceToken)
                .timeout(timeout)
                .port(port)
                .kit(ServiceKit.builder()
                        .monitor(monitor)
                        .adminToken(adminToken)
                        .build());
        try {
            return builder.build().start();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private HikariDataSource open(
            Map<String, String> env, String name, String userVariable, String passwordVariable, int pool) {
        if ((dataDir == null) == (dbUrl == null)) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "give exactly one of --data-dir (H2) and --db-url (PostgreSQL)");
        }
        if (dataDir != null) {
            return H2Database.open(dataDir.resolve(name), name, pool);
        }
        return PostgresDatabase.open(dbUrl, env.get(userVariable), env.get(passwordVariable), pool);
    }
}
