package io.valerix.harness.cli;

import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.gremlin.GremlinSpecException;
import io.valerix.core.health.HealthConfig;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.harness.dashboard.Dashboard;
import io.valerix.harness.services.ServicePair;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.Map;
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
            "Starts the inventory and order services on loopback and runs them until Ctrl-C or SIGTERM.",
            "The inventory service runs with its gremlin. It prints where the services are and the admin token, and stops"
                    + " gracefully.",
            "They are announced only once warm: warm-up orders run on scratch databases, pools filled, inventory link open.",
            "Tokens: --admin-token, else $VALERIX_ADMIN_TOKEN, else random; --service-token, else $VALERIX_SERVICE_TOKEN, else random.",
            "Prefer the environment variables: a command line is visible to every user of the machine (ps).",
            "On H2, every write is archived to DATA_DIR/archive within a second, and a local base backup is taken there at start"
                    + " when the archive has none (no call to the backup service), so 'valerix restore' works from the first minute."
        })
final class UpCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions options;

    @Mixin
    ArchiveOptions archive = new ArchiveOptions();

    @CommandLine.Option(
            names = "--fork",
            description =
                    "Run each service in its own JVM (children of this one, stopped with it); implied by --order-instances above 1.")
    boolean fork;

    @CommandLine.Option(
            names = "--order-instances",
            paramLabel = "N",
            description =
                    "Order-service processes sharing one order database (needs --db postgres or --order-db-url); each gets"
                            + " its own port, counting up from --order-port, and a stable instance id order-1, order-2, ... (default: 1).")
    int orderInstances = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ServicePair.Settings settings;
        try {
            settings = settings(options).withArchive(archive.location(options.dataDir));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (fork || orderInstances != 1) {
            return UpForked.run(out, settings, orderInstances, spec);
        }
        // snippet:start dashboard-start
        Dashboard dashboard =
                Dashboard.builder().adminToken(settings.adminToken()).build();
        ServicePair pair;
        try {
            pair = ServicePair.start(settings, dashboard::install);
        } catch (RuntimeException e) {
            dashboard.close();
            throw e;
        }
        dashboard.watch(pair);
        // snippet:end dashboard-start
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            out.println();
                            out.println("Stopping (letting in-flight requests finish)...");
                            out.flush();
                            // snippet:start dashboard-stop
                            // The dashboard first: it ends open event streams, so the server need not wait them out.
                            dashboard.close();
                            pair.close();
                            // snippet:end dashboard-stop
                            stopped.countDown();
                        },
                        "valerix-shutdown"));
        // Announced only now: ServicePair.start returned after warm-up (Warmup).
        out.println("Valerix is up.");
        out.printf("  order service      %s   POST /orders, GET /orders/{orderId}%n", pair.orderUri());
        out.printf(
                "  inventory service  %s   GET /inventory, PUT|GET|DELETE /reservations/{orderId}%n",
                pair.inventoryUri());
        out.printf(
                "  gremlin            %s   (seed %d; change it: PUT %s/admin/gremlin)%n",
                settings.gremlin().toText(), settings.seed(), pair.inventoryUri());
        out.printf("  order timeout      %d ms%n", settings.timeout().toMillis());
        out.printf(
                "  health, metrics    %s/health  %s/metrics (and the same on inventory)%n",
                pair.orderUri(), pair.orderUri());
        out.printf("  dashboard          %s%n", Dashboard.url(pair.orderUri(), settings.adminToken()));
        out.printf(
                "  admin token        %s   (send as 'Authorization: Bearer <token>'; or set %s)%n",
                settings.adminToken(), ServicePair.ADMIN_TOKEN_ENV);
        out.printf(
                "  service token      held by both services (reservation writes need it; set %s to choose it)%n",
                ServicePair.SERVICE_TOKEN_ENV);
        out.printf("  health             %s/health/live  %s/health/ready%n", pair.orderUri(), pair.orderUri());
        out.printf("  warm               %s%n", pair.warmup().summary());
        out.printf("  data               %s (%s)%n", settings.dataDir().toAbsolutePath(), settings.storage());
        if (pair.archiving().isArchiving()) {
            out.printf("  archive            %s%n", pair.archiving().archive().location());
        }
        out.println();
        out.printf(
                "Try: curl -s -X POST %s/orders -H 'Content-Type: application/json' -H 'Idempotency-Key: try-1' -d '{\"sku\":\"widget\",\"quantity\":1}'%n",
                pair.orderUri());
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return ExitCodes.SUCCESS;
    }

    /** The services' settings from the command line and the process environment; see {@link #settings(ServiceOptions, Map)}. */
    public static ServicePair.Settings settings(ServiceOptions options) {
        return settings(options, System.getenv());
    }

    /**
     * The services' settings from the command line, with tokens from {@code environment} ({@value
     * ServicePair#ADMIN_TOKEN_ENV}, {@value ServicePair#SERVICE_TOKEN_ENV}) when not given as
     * options, and a random seed and tokens when given neither way.
     */
    public static ServicePair.Settings settings(ServiceOptions options, Map<String, String> environment) {
        GremlinSpec gremlin;
        try {
            gremlin = GremlinSpec.parse(options.gremlin);
        } catch (GremlinSpecException e) {
            throw new CommandLine.ParameterException(new CommandLine(new UpCommand()), "--gremlin: " + e.getMessage());
        }
        long seed = options.seed != null ? options.seed : new SecureRandom().nextLong() & 0xFFFF_FFFFL;
        String adminToken =
                token("--admin-token", options.adminToken, environment.get(ServicePair.ADMIN_TOKEN_ENV), "admin");
        String serviceToken = token(
                "--service-token", options.serviceToken, environment.get(ServicePair.SERVICE_TOKEN_ENV), "service");
        if (adminToken.equals(serviceToken)) {
            throw new CommandLine.ParameterException(
                    new CommandLine(new UpCommand()),
                    "the service token must differ from the admin token: the service token opens stock writes, the admin token the operators' routes");
        }
        if (options.warmupOrders < 0) {
            throw new CommandLine.ParameterException(
                    new CommandLine(new UpCommand()),
                    "--warmup-orders must not be negative, but was " + options.warmupOrders);
        }
        io.valerix.harness.services.Storage storage;
        try {
            storage = options.storage(environment);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(new UpCommand()), e.getMessage());
        }
        return new ServicePair.Settings(
                options.orderPort,
                options.inventoryPort,
                gremlin,
                seed,
                options.timeout,
                options.stockMap(),
                adminToken,
                serviceToken,
                options.dataDir,
                HealthConfig.defaults(),
                options.warmupOrders,
                storage);
    }

    /** The option's value, else the environment's (blank counts as unset), else a random token; checked. */
    private static String token(String option, String fromOption, String fromEnvironment, String kind) {
        String token = fromOption != null
                ? fromOption
                : fromEnvironment != null && !fromEnvironment.isBlank()
                        ? fromEnvironment.strip()
                        : BearerTokenFilter.randomToken();
        try {
            return BearerTokenFilter.validToken(kind, token);
        } catch (IllegalArgumentException e) {
            String source = fromOption != null ? option : "the " + kind + " token's environment variable";
            throw new CommandLine.ParameterException(new CommandLine(new UpCommand()), source + ": " + e.getMessage());
        }
    }
}
