package io.valerix.harness.cli;

import io.valerix.harness.services.ServicePair;
import io.valerix.harness.services.Storage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options that say how the two services run; shared by {@code up} and {@code chaos}. */
final class ServiceOptions {

    @Option(
            names = "--order-port",
            paramLabel = "PORT",
            description = "Order service port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    public int orderPort = 8080;

    @Option(
            names = "--inventory-port",
            paramLabel = "PORT",
            description = "Inventory service port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    public int inventoryPort = 8081;

    @Option(
            names = "--gremlin",
            paramLabel = "SPEC",
            description = {
                "The inventory service's gremlin; 'none' for none, see docs/gremlin.md.",
                "Default: ${DEFAULT-VALUE}.",
                "Example: 'fixed(1500ms)'.",
                "Example: 'uniform(0ms,5s) after p=0.5 route=\"PUT /reservations/*\"'."
            })
    public String gremlin = "uniform(0ms,5s) after";

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How long an order waits for inventory before answering 202 PENDING (default: 2s).")
    public Duration timeout = Duration.ofSeconds(2);

    @Option(
            names = "--stock",
            paramLabel = "SKU=QTY",
            description = "Initial stock of a SKU; repeatable (default: " + ServicePair.DEFAULT_STOCK + ").")
    public List<String> stock = new ArrayList<>();

    @Option(
            names = "--seed",
            paramLabel = "N",
            description =
                    "The gremlin's seed; the same seed and requests give the same chaos (default: random, printed).")
    public Long seed;

    @Option(
            names = "--admin-token",
            paramLabel = "TOKEN",
            description = {
                "Bearer token for /admin routes and the dashboard, at least 16 characters.",
                "Taken from, in order: this option, the " + ServicePair.ADMIN_TOKEN_ENV
                        + " environment variable, a random one (printed).",
                "Prefer the variable: a command line is visible to every user of the machine (ps)."
            })
    public String adminToken;

    @Option(
            names = "--service-token",
            paramLabel = "TOKEN",
            description = {
                "Bearer token the order service sends to write reservations at inventory; not the admin token.",
                "Taken from, in order: this option, the " + ServicePair.SERVICE_TOKEN_ENV
                        + " environment variable, a random one (not printed)."
            })
    public String serviceToken;

    @Option(
            names = "--warmup-orders",
            paramLabel = "N",
            description =
                    "Orders run on scratch databases before the services are announced, so the first real ones find the code compiled; 0 skips them (default: ${DEFAULT-VALUE}).")
    public int warmupOrders = io.valerix.harness.services.Warmup.DEFAULT_ORDERS;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Where the two databases live (default: ${DEFAULT-VALUE}).")
    public Path dataDir = Path.of("valerix-data");

    @Option(
            names = "--db",
            paramLabel = "ENGINE",
            description =
                    "Where the databases live: 'h2' (embedded files in the data dir) or 'postgres' (a private PostgreSQL cluster"
                            + " in <data-dir>/postgres, started and stopped here with the machine's PostgreSQL binaries) (default: h2).")
    public String db;

    @Option(
            names = "--order-db-url",
            paramLabel = "JDBC_URL",
            description =
                    "The order database on an existing PostgreSQL server (jdbc:postgresql://host:port/db); credentials from"
                            + " $" + Storage.ORDER_USER_ENV + " and $" + Storage.ORDER_PASSWORD_ENV
                            + ". Goes with --inventory-db-url.")
    public String orderDbUrl;

    @Option(
            names = "--inventory-db-url",
            paramLabel = "JDBC_URL",
            description = "The inventory database on an existing PostgreSQL server; credentials from $"
                    + Storage.INVENTORY_USER_ENV + " and $" + Storage.INVENTORY_PASSWORD_ENV
                    + ". Goes with --order-db-url.")
    public String inventoryDbUrl;

    /**
     * The storage the options name.
     *
     * @throws IllegalArgumentException for an unknown engine, one database URL without the other, or
     *     URLs with {@code --db h2}
     */
    public Storage storage(Map<String, String> environment) {
        String engine = db == null ? "h2" : db.strip().toLowerCase(java.util.Locale.ROOT);
        if (!engine.equals("h2") && !engine.equals("postgres")) {
            throw new IllegalArgumentException("--db must be h2 or postgres, but was '" + db + "'");
        }
        if ((orderDbUrl == null) != (inventoryDbUrl == null)) {
            throw new IllegalArgumentException(
                    "--order-db-url and --inventory-db-url go together: give both, or neither");
        }
        if (orderDbUrl != null) {
            if (db != null && engine.equals("h2")) {
                throw new IllegalArgumentException(
                        "--order-db-url and --inventory-db-url name PostgreSQL databases; they cannot go with --db h2");
            }
            return Storage.existing(orderDbUrl, inventoryDbUrl, environment);
        }
        return engine.equals("h2") ? Storage.h2() : Storage.privatePostgres();
    }

    /** The stock as SKU → quantity, in the order given. */
    public Map<String, Integer> stockMap() {
        String pairs = stock.isEmpty() ? ServicePair.DEFAULT_STOCK : String.join(",", stock);
        Map<String, Integer> map = new LinkedHashMap<>();
        for (String pair : pairs.split(",")) {
            String[] parts = pair.strip().split("=", 2);
            if (parts.length != 2 || parts[0].isBlank()) {
                throw new IllegalArgumentException("--stock takes SKU=QTY, but got '" + pair + "'");
            }
            try {
                map.put(parts[0].strip(), Integer.parseInt(parts[1].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--stock quantity must be a whole number, but got '" + pair + "'");
            }
        }
        return map;
    }
}
