package io.valerix.harness.chaos;

import io.valerix.core.gremlin.DecisionLog;
import io.valerix.harness.chaos.internal.FleetTarget;
import io.valerix.harness.chaos.internal.RunLogging;
import io.valerix.harness.dashboard.Dashboard;
import io.valerix.harness.fleet.ServiceFleet;
import io.valerix.harness.link.LinkWindow;
import io.valerix.harness.report.RunFiles;
import io.valerix.harness.services.ServicePair;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A whole {@code valerix chaos} run: the services it is run against (already running, started in
 * this JVM with the dashboard, or started as processes to kill and cut off), the run's log file,
 * the introduction on the console, and the {@link ChaosRun} itself. The command only reads its
 * options into a {@link Plan}. Not thread-safe: one launch, one run.
 */
public final class ChaosLaunch {

    /** Where the services of a run come from. */
    public sealed interface Services {}

    /**
     * Services already running; the run only drives them.
     *
     * @param orderAdminToken lists the order service's orders
     * @param inventoryAdminToken switches inventory's gremlin and lists its reservations
     */
    public record Running(List<URI> orderUrls, URI inventoryUrl, String orderAdminToken, String inventoryAdminToken)
            implements Services {
        public Running {
            orderUrls = List.copyOf(orderUrls);
            Objects.requireNonNull(inventoryUrl, "inventoryUrl");
            Objects.requireNonNull(orderAdminToken, "orderAdminToken");
            Objects.requireNonNull(inventoryAdminToken, "inventoryAdminToken");
        }
    }

    /** Both services in this JVM ({@link ServicePair}), watched by the dashboard. */
    public record InThisJvm(ServicePair.Settings pair) implements Services {
        public InThisJvm {
            Objects.requireNonNull(pair, "pair");
        }
    }

    /**
     * Each service its own JVM ({@link ServiceFleet}), killed and its link cut on schedule.
     *
     * @param fleet the processes; with a link proxy if {@code links} is not empty
     */
    public record AsProcesses(ServiceFleet.Settings fleet, List<KillSpec> kills, List<LinkWindow> links)
            implements Services {
        public AsProcesses {
            Objects.requireNonNull(fleet, "fleet");
            kills = List.copyOf(kills);
            links = List.copyOf(links);
            if (!links.isEmpty() && !fleet.linkProxy()) {
                throw new IllegalArgumentException("link windows need the fleet's link proxy");
            }
        }
    }

    /**
     * One run.
     *
     * @param command the command line that repeats the run, for the report
     * @param terminal whether the console is a terminal, so a live progress line makes sense
     */
    public record Plan(ChaosSettings settings, Services services, Path runDir, String command, boolean terminal) {
        public Plan {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(services, "services");
            Objects.requireNonNull(runDir, "runDir");
            Objects.requireNonNull(command, "command");
        }
    }

    private final Plan plan;
    private final PrintWriter out;

    private ChaosLaunch(Plan plan, PrintWriter out) {
        this.plan = plan;
        this.out = out;
    }

    /**
     * Runs the plan, logging to {@code valerix.log} in the run directory and telling {@code out} how
     * it goes; every service it started is stopped when it returns.
     */
    public static ChaosRun.Result run(Plan plan, PrintWriter out) throws IOException, InterruptedException {
        Files.createDirectories(plan.runDir());
        RunLogging logging = RunLogging.into(plan.runDir().resolve("valerix.log"));
        try {
            ChaosLaunch launch = new ChaosLaunch(plan, out);
            return switch (plan.services()) {
                case Running running -> launch.against(running);
                case InThisJvm local -> launch.inThisJvm(local.pair());
                case AsProcesses processes -> launch.asProcesses(processes);
            };
        } finally {
            logging.close();
        }
    }

    private ChaosRun chaosRun(ServiceTarget target) {
        return new ChaosRun(plan.settings(), target, plan.runDir(), out, plan.terminal(), plan.command());
    }

    private ChaosRun.Result against(Running running) throws InterruptedException {
        try (ServiceTarget target = ServiceTarget.remote(
                running.orderUrls(),
                running.inventoryUrl(),
                running.orderAdminToken(),
                running.inventoryAdminToken())) {
            intro(
                    "order "
                            + String.join(
                                    ", ",
                                    running.orderUrls().stream()
                                            .map(URI::toString)
                                            .toList()) + ", inventory " + running.inventoryUrl() + " (already running)",
                    null);
            return chaosRun(target).run();
        }
    }

    private ChaosRun.Result inThisJvm(ServicePair.Settings pairSettings) throws IOException, InterruptedException {
        Dashboard dashboard =
                Dashboard.builder().adminToken(pairSettings.adminToken()).build();
        try (DecisionLog decisions = DecisionLog.writingTo(
                        Files.newBufferedWriter(plan.runDir().resolve(RunFiles.GREMLIN), StandardCharsets.UTF_8));
                ServicePair pair = ServicePair.start(pairSettings, dashboard::install, decisions)) {
            dashboard.watch(pair);
            try {
                intro(
                        "order " + pair.orderUri() + ", inventory " + pair.inventoryUri() + " (started here; "
                                + pairSettings.storage() + " in " + pairSettings.dataDir() + ")",
                        Dashboard.url(pair.orderUri(), pairSettings.adminToken())
                                .toString());
                return chaosRun(ServiceTarget.of(pair))
                        .flushingBeforeReport(decisions)
                        .run();
            } finally {
                // Before the pair closes: it ends open event streams, so the server need not wait them out.
                dashboard.close();
            }
        }
    }

    private ChaosRun.Result asProcesses(AsProcesses processes) throws InterruptedException {
        ServiceFleet.Settings fleetSettings = processes.fleet();
        int instances = fleetSettings.orderInstances();
        out.println("Starting inventory and " + instances + " order instance" + (instances == 1 ? "" : "s")
                + " as processes (their output: " + fleetSettings.childLog() + ")...");
        out.flush();
        try (ServiceFleet fleet = ServiceFleet.start(fleetSettings);
                FleetTarget target = new FleetTarget(fleet)) {
            intro(
                    "order " + fleet.orderUris() + ", inventory " + fleet.inventoryUri() + " (processes started here; "
                            + fleetSettings.services().storage() + ")",
                    null);
            List<KillSpec> specs = processes.kills();
            List<LinkWindow> windows = processes.links();
            if (!specs.isEmpty()) {
                out.println("  kills      "
                        + String.join(", ", specs.stream().map(KillSpec::toText).toList()));
            }
            if (!windows.isEmpty()) {
                out.println("  link       "
                        + String.join(
                                ", ", windows.stream().map(LinkWindow::toString).toList()) + " (proxy "
                        + fleet.linkProxy().orElseThrow().uri() + " in front of inventory)");
            }
            if (!specs.isEmpty() || !windows.isEmpty()) {
                out.println();
                out.flush();
            }
            ChaosRun run = chaosRun(target).killing(specs, (service, instance) -> {
                ServiceFleet.Kill kill = fleet.kill(service, instance);
                if (service.equals(KillSpec.INVENTORY)) {
                    target.restoreGremlin();
                }
                return kill;
            });
            if (!windows.isEmpty()) {
                run.linking(fleet.linkProxy().orElseThrow(), windows);
            }
            return run.run();
        }
    }

    private void intro(String where, String dashboard) {
        ChaosSettings s = plan.settings();
        out.printf(
                Locale.ROOT,
                "valerix chaos: %.0f s of orders: baseline %.0f s, chaos %.0f s, recovery %.0f s; then drain, settle and check.%n",
                s.duration().toMillis() / 1000.0,
                s.chaosStart().toMillis() / 1000.0,
                (s.recoveryStart().toMillis() - s.chaosStart().toMillis()) / 1000.0,
                (s.duration().toMillis() - s.recoveryStart().toMillis()) / 1000.0);
        out.println("  services   " + where);
        out.printf(
                Locale.ROOT,
                "  workload   %s, %.0f%% duplicates, %.0f%% impatient users, seed %d%n",
                s.users() > 0
                        ? s.users() + " users (closed model)"
                        : String.format(Locale.ROOT, "%.0f orders/s (open model)", s.rate()),
                s.duplicates() * 100,
                s.impatient() * 100,
                s.seed());
        out.printf(
                Locale.ROOT,
                "  chaos      inventory gremlin '%s', order timeout %d ms%n",
                s.gremlin().toText(),
                s.orderTimeout().toMillis());
        out.println("  run dir    " + plan.runDir() + "  (logs in valerix.log)");
        if (dashboard != null) {
            out.println("  dashboard  " + dashboard);
        }
        out.println();
        out.flush();
    }
}
