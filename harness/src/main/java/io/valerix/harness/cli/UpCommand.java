package io.valerix.harness.cli;

import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.gremlin.GremlinSpecException;
import io.valerix.core.health.HealthConfig;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.harness.ServicePair;
import io.valerix.harness.dashboard.Dashboard;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code valerix up}: both services on loopback until Ctrl-C. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Starts the inventory service (with its gremlin) and the order service on loopback, prints",
      "where they are and the admin token, and runs until Ctrl-C or SIGTERM, then stops gracefully."
    })
public final class UpCommand implements Callable<Integer> {

  @Mixin ServiceOptions options;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ServicePair.Settings settings = settings(options);
    Dashboard dashboard = Dashboard.builder().build();
    ServicePair pair;
    try {
      pair = ServicePair.start(settings, dashboard::install);
    } catch (RuntimeException e) {
      dashboard.close();
      throw e;
    }
    dashboard.watch(pair);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println();
      out.println("Stopping (letting in-flight requests finish)...");
      out.flush();
      // The dashboard first: it ends open event streams, so the server need not wait them out.
      dashboard.close();
      pair.close();
      stopped.countDown();
    }, "valerix-shutdown"));
    out.println("Valerix is up.");
    out.printf("  order service      %s   POST /orders, GET /orders/{orderId}%n", pair.orderUri());
    out.printf("  inventory service  %s   GET /inventory, PUT|GET|DELETE /reservations/{orderId}%n", pair.inventoryUri());
    out.printf("  gremlin            %s   (seed %d; change it: PUT %s/admin/gremlin)%n",
        settings.gremlin().toText(), settings.seed(), pair.inventoryUri());
    out.printf("  order timeout      %d ms%n", settings.timeout().toMillis());
    out.printf("  health, metrics    %s/health  %s/metrics (and the same on inventory)%n", pair.orderUri(), pair.orderUri());
    out.printf("  dashboard          %s%n", Dashboard.url(pair.orderUri(), settings.adminToken()));
    out.printf("  admin token        %s%n", settings.adminToken());
    out.printf("  data               %s (%s)%n", settings.dataDir().toAbsolutePath(), settings.storage());
    out.println();
    out.printf("Try: curl -s -X POST %s/orders -H 'Content-Type: application/json' -H 'Idempotency-Key: try-1' -d '{\"sku\":\"widget\",\"quantity\":1}'%n", pair.orderUri());
    out.println("Press Ctrl-C to stop.");
    out.flush();
    stopped.await();
    return 0;
  }

  /** The services' settings from the command line, with random seed and token when not given. */
  public static ServicePair.Settings settings(ServiceOptions options) {
    GremlinSpec gremlin;
    try {
      gremlin = GremlinSpec.parse(options.gremlin);
    } catch (GremlinSpecException e) {
      throw new CommandLine.ParameterException(new CommandLine(new UpCommand()), "--gremlin: " + e.getMessage());
    }
    long seed = options.seed != null ? options.seed : new SecureRandom().nextLong() & 0xFFFF_FFFFL;
    String token = options.adminToken != null ? options.adminToken : BearerTokenFilter.randomToken();
    io.valerix.harness.Storage storage;
    try {
      storage = options.storage(System.getenv());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(new UpCommand()), e.getMessage());
    }
    return new ServicePair.Settings(
        options.orderPort, options.inventoryPort, gremlin, seed, options.timeout, options.stockMap(), token, options.dataDir,
        HealthConfig.defaults(), storage);
  }
}
