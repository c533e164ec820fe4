package io.valerix.harness.cli;

import io.valerix.harness.fleet.ServiceFleet;
import io.valerix.harness.services.ServicePair;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;

/**
 * {@code valerix up --fork} / {@code --order-instances N}: the services as child processes
 * ({@link ServiceFleet}) until Ctrl-C or SIGTERM, which stops every one of them. No dashboard: it
 * reads the monitors of services in its own JVM.
 */
final class UpForked {

    private UpForked() {}

    static int run(PrintWriter out, ServicePair.Settings s, int orderInstances, CommandLine.Model.CommandSpec spec)
            throws InterruptedException {
        ServiceFleet.Settings settings;
        try {
            settings = new ServiceFleet.Settings(orderInstances, s, s.dataDir().resolve(ServiceFleet.LOG_FILE));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        out.println("Starting inventory and " + orderInstances + " order instance" + (orderInstances == 1 ? "" : "s")
                + " as processes...");
        out.flush();
        ServiceFleet fleet = ServiceFleet.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            out.println();
                            out.println("Stopping every service process (letting in-flight requests finish)...");
                            out.flush();
                            fleet.close();
                            stopped.countDown();
                        },
                        "valerix-shutdown"));
        out.println("Valerix is up.");
        List<URI> orders = fleet.orderUris();
        List<String> ids = fleet.orderInstanceIds();
        for (int i = 0; i < orders.size(); i++) {
            out.printf(
                    "  order service      %s   %s (POST /orders, GET /orders/{orderId})%n", orders.get(i), ids.get(i));
        }
        out.printf(
                "  inventory service  %s   GET /inventory, PUT|GET|DELETE /reservations/{orderId}%n",
                fleet.inventoryUri());
        out.printf(
                "  gremlin            %s   (seed %d; change it: PUT %s/admin/gremlin)%n",
                s.gremlin().toText(), s.seed(), fleet.inventoryUri());
        out.printf("  order timeout      %d ms%n", s.timeout().toMillis());
        out.printf(
                "  admin token        %s   (send as 'Authorization: Bearer <token>'; or set %s)%n",
                s.adminToken(), ServicePair.ADMIN_TOKEN_ENV);
        out.printf(
                "  data               %s (%s); the services' output in %s%n",
                s.dataDir().toAbsolutePath(), s.storage(), settings.childLog().toAbsolutePath());
        out.println("  (each service is its own process; no dashboard in this mode)");
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return ExitCodes.SUCCESS;
    }
}
