package io.valerix.harness.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options that say how the two services run; shared by {@code up} and {@code chaos}. */
public final class ServiceOptions {

  /** The stock when none is given: some plentiful, some scarce, so some orders must be rejected. */
  public static final String DEFAULT_STOCK = "widget=1000,gadget=300,gizmo=100,doohickey=25";

  @Option(names = "--order-port", paramLabel = "PORT", description = "Order service port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  public int orderPort = 8080;

  @Option(names = "--inventory-port", paramLabel = "PORT", description = "Inventory service port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  public int inventoryPort = 8081;

  @Option(names = "--gremlin", paramLabel = "SPEC",
      description = "The inventory service's gremlin, e.g. 'none', 'fixed(1500ms)', 'uniform(0ms,5s) after p=0.5 route=\"PUT /reservations/*\"' (default: ${DEFAULT-VALUE}).")
  public String gremlin = "uniform(0ms,5s) after";

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long an order waits for inventory before answering 202 PENDING (default: 2s).")
  public Duration timeout = Duration.ofSeconds(2);

  @Option(names = "--stock", paramLabel = "SKU=QTY", description = "Initial stock of a SKU; repeatable (default: " + DEFAULT_STOCK + ").")
  public List<String> stock = new ArrayList<>();

  @Option(names = "--seed", paramLabel = "N", description = "The gremlin's seed; the same seed and requests give the same chaos (default: random, printed).")
  public Long seed;

  /** The environment variable the admin token is read from when {@code --admin-token} is not given. */
  public static final String ADMIN_TOKEN_ENV = "VALERIX_ADMIN_TOKEN";
  /** The environment variable the service token is read from when {@code --service-token} is not given. */
  public static final String SERVICE_TOKEN_ENV = "VALERIX_SERVICE_TOKEN";

  @Option(names = "--admin-token", paramLabel = "TOKEN",
      description = {"Bearer token for /admin routes and the dashboard, at least 16 characters.",
          "Taken from, in order: this option, the " + ADMIN_TOKEN_ENV + " environment variable, a random one (printed).",
          "Prefer the variable: a command line is visible to every user of the machine (ps)."})
  public String adminToken;

  @Option(names = "--service-token", paramLabel = "TOKEN",
      description = {"Bearer token the order service sends to write reservations at inventory; not the admin token.",
          "Taken from, in order: this option, the " + SERVICE_TOKEN_ENV + " environment variable, a random one (not printed)."})
  public String serviceToken;

  @Option(names = "--warmup-orders", paramLabel = "N",
      description = "Orders run on scratch databases before the services are announced, so the first real ones find the code compiled; 0 skips them (default: ${DEFAULT-VALUE}).")
  public int warmupOrders = io.valerix.harness.Warmup.DEFAULT_ORDERS;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the two databases live (default: ${DEFAULT-VALUE}).")
  public Path dataDir = Path.of("valerix-data");

  /** The stock as SKU → quantity, in the order given. */
  public Map<String, Integer> stockMap() {
    String pairs = stock.isEmpty() ? DEFAULT_STOCK : String.join(",", stock);
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
