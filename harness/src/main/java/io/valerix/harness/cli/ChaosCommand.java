package io.valerix.harness.cli;

import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.gremlin.GremlinSpecException;
import io.valerix.harness.chaos.ChaosLaunch;
import io.valerix.harness.chaos.ChaosRun;
import io.valerix.harness.chaos.ChaosSettings;
import io.valerix.harness.chaos.KillSpec;
import io.valerix.harness.fleet.ServiceFleet;
import io.valerix.harness.link.LinkWindow;
import io.valerix.harness.report.PhaseLatency;
import io.valerix.harness.report.RunSummary;
import io.valerix.harness.report.Verdict;
import io.valerix.harness.services.ServicePair;
import java.io.Console;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code valerix chaos}: orders through baseline, chaos and recovery, then the verdict and a report.
 * Exit 0 for PASS, 1 for FAIL, 2 for a usage error or a run that could not be judged.
 */
@Command(
        name = "chaos",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Sends orders through baseline, chaos and recovery, then checks both databases against what the client was told.",
            "The three phases are baseline (no gremlin), chaos (the inventory gremlin on) and recovery (off), with duplicates and"
                    + " impatient users who retry. After waiting for the reconciler, it checks: nothing lost, nothing duplicated,"
                    + " nothing oversold, stock conserved, nothing pending, the two databases agreeing. Writes a run directory with"
                    + " report.html and summary.json.",
            "",
            "Starts both services itself (ephemeral ports, databases in the run directory) unless given --order-url and"
                    + " --inventory-url. With --fork, --order-instances or --kill each service runs in its own JVM, and --kill"
                    + " kill -9s services on a schedule and restarts them on the same data. Exit status: 0 PASS, 1 FAIL, 2 usage"
                    + " error or no verdict.",
            ""
        })
final class ChaosCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions services;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "How long to send new orders, all phases: a quarter baseline, half chaos, a quarter recovery (default: 60s).")
    Duration duration = ChaosSettings.DEFAULT_DURATION;

    @Option(
            names = "--rate",
            paramLabel = "N",
            description = "New orders per second, open model (default: ${DEFAULT-VALUE}).")
    double rate = ChaosSettings.DEFAULT_RATE;

    @Option(
            names = "--users",
            paramLabel = "N",
            description =
                    "Closed model instead: N users, each placing an order when the last one is answered (default: open model).")
    int users;

    @Option(
            names = "--duplicates",
            paramLabel = "SHARE",
            converter = ShareConverter.class,
            description =
                    "Share of orders submitted twice, concurrently or later, fields reordered: 0.2 or 20%% (default: 20%%).")
    double duplicates = ChaosSettings.DEFAULT_DUPLICATES;

    @Option(names = "--out", paramLabel = "DIR", description = "The run directory (default: runs/<date-time>).")
    Path out;

    @Option(
            names = "--settle-timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "How long to wait for the reconciler to settle PENDING orders before checking (default: 30s).")
    Duration settleTimeout = ChaosSettings.DEFAULT_SETTLE_TIMEOUT;

    @Option(
            names = "--drain-timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "How long to let requests, retries and follow-ups finish after sending stops; then they are cancelled (default: 30s).")
    Duration drainTimeout = ChaosSettings.DEFAULT_DRAIN_TIMEOUT;

    @Option(
            names = "--max-in-flight",
            paramLabel = "N",
            description = "Most requests in flight at once (default: ${DEFAULT-VALUE}).")
    int maxInFlight = ChaosSettings.DEFAULT_MAX_IN_FLIGHT;

    @Option(
            names = "--fork",
            description =
                    "Run each service in its own JVM (a child of this one, on the same JDK) instead of all in this JVM;"
                            + " implied by --kill and by --order-instances above 1.")
    boolean fork;

    @Option(
            names = "--order-instances",
            paramLabel = "N",
            description =
                    "Order-service processes sharing one order database (needs PostgreSQL: --db postgres or --order-db-url);"
                            + " requests go round robin, so a duplicate or retry lands on another instance (default: 1).")
    int orderInstances = 1;

    @Option(
            names = "--kill",
            paramLabel = "SERVICE:SCHEDULE",
            description = {
                "kill -9 a service and start it again at once on the same data and port; repeatable.",
                "SERVICE: inventory, order (one instance per strike, in turn: order-1, order-2, ...) or order-N (that one).",
                "SCHEDULE: 'at 40s', 'every 15s' or 'every 15s from 5s', counted from the start of sending;"
                        + " strikes after sending stops are skipped. E.g. --kill 'order:every 15s' --kill 'inventory:at 40s'."
            })
    List<String> kill = new ArrayList<>();

    @Option(
            names = "--link",
            paramLabel = "WINDOW",
            description = {
                "A fault of the TCP link between the order service and inventory, played by a proxy the harness puts"
                        + " between them; repeatable, windows must not overlap. Implies --fork.",
                "WINDOW: '<fault> [value] [for] <length> at <start>', counted from the start of sending. Faults: blackhole, reset,"
                        + " halfopen, latency D, bandwidth R (500b/s, 16kb/s, 1mb/s). E.g. --link 'blackhole 10s at 30s'"
                        + " --link 'latency 300ms for 20s at 5s'."
            })
    List<String> link = new ArrayList<>();

    /** Where credentials for an existing PostgreSQL server come from; tests replace it. */
    Map<String, String> environment = System.getenv();

    @Option(
            names = "--order-url",
            paramLabel = "URL",
            description =
                    "Drive an order service already running here instead of starting one; repeat it for several instances"
                            + " on one order database (requests go round robin).")
    List<URI> orderUrls = new ArrayList<>();

    @Option(names = "--inventory-url", paramLabel = "URL", description = "The inventory service behind --order-url.")
    URI inventoryUrl;

    @Option(
            names = "--inventory-admin-token",
            paramLabel = "TOKEN",
            description =
                    "Admin token of the inventory at --inventory-url (switches its gremlin, lists its reservations);"
                            + " default: the " + ServicePair.ADMIN_TOKEN_ENV
                            + " environment variable, which keeps it out of ps.")
    String inventoryAdminToken;

    @Option(
            names = "--order-admin-token",
            paramLabel = "TOKEN",
            description =
                    "Admin token of the order service at --order-url, to list its orders (default: the inventory's).")
    String orderAdminToken;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean remote = !orderUrls.isEmpty() || inventoryUrl != null;
        validate(remote);
        if (services.seed == null) {
            services.seed = new SecureRandom().nextLong() & 0xFFFF_FFFFL;
        }
        long seed = services.seed;
        ChaosSettings settings = chaosSettings(seed);
        String command = reproduceCommand(seed);
        Path runDir = this.out != null ? this.out : defaultRunDirectory();
        ChaosLaunch.Services where;
        if (remote) {
            where = new ChaosLaunch.Running(
                    orderUrls,
                    inventoryUrl,
                    orderAdminToken != null ? orderAdminToken : inventoryAdminToken,
                    inventoryAdminToken);
        } else if (forked()) {
            where = asProcesses(pairSettings(runDir), runDir);
        } else {
            where = new ChaosLaunch.InThisJvm(pairSettings(runDir));
        }
        ChaosRun.Result result =
                ChaosLaunch.run(new ChaosLaunch.Plan(settings, where, runDir, command, isTerminal()), out);
        return conclude(out, result);
    }

    /** The services as a {@link ServiceFleet}: each its own JVM, killed and cut off on schedule. */
    private ChaosLaunch.AsProcesses asProcesses(ServicePair.Settings pair, Path runDir) {
        try {
            ServiceFleet.Settings fleet =
                    new ServiceFleet.Settings(orderInstances, pair, runDir.resolve(ServiceFleet.LOG_FILE));
            return new ChaosLaunch.AsProcesses(
                    link.isEmpty() ? fleet : fleet.withLinkProxy(), killSpecs(), linkWindows());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private void validate(boolean remote) {
        if (remote) {
            if (orderUrls.isEmpty() || inventoryUrl == null) {
                throw usage(
                        "--order-url and --inventory-url go together: give both, or neither to start the services here");
            }
            if (inventoryAdminToken == null) {
                String fromEnvironment = System.getenv(ServicePair.ADMIN_TOKEN_ENV);
                inventoryAdminToken =
                        fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment.strip();
            }
            if (inventoryAdminToken == null) {
                throw usage("--inventory-admin-token (or " + ServicePair.ADMIN_TOKEN_ENV
                        + ") is needed with --inventory-url, to switch the gremlin and list reservations");
            }
            CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
            for (String local : List.of(
                    "--order-port",
                    "--inventory-port",
                    "--stock",
                    "--admin-token",
                    "--service-token",
                    "--data-dir",
                    "--db",
                    "--order-db-url",
                    "--inventory-db-url")) {
                if (parsed.hasMatchedOption(local)) {
                    throw usage(local + " applies to services started here; it cannot be used with --order-url");
                }
            }
        }
        try {
            GremlinSpec.parse(services.gremlin);
        } catch (GremlinSpecException e) {
            throw usage("--gremlin: " + e.getMessage());
        }
        if (remote && (fork || orderInstances != 1 || !kill.isEmpty() || !link.isEmpty())) {
            throw usage(
                    "--fork, --order-instances, --kill and --link apply to services started here; they cannot be used with --order-url");
        }
        for (LinkWindow window : linkWindows()) {
            if (window.start().compareTo(duration) >= 0) {
                throw usage("--link '" + window + "' never opens: sending lasts " + duration.toSeconds() + " s");
            }
        }
        if (orderInstances < 1 || orderInstances > 16) {
            throw usage("--order-instances must be 1..16, but was " + orderInstances);
        }
        if (!remote && orderInstances > 1) {
            try {
                if (services.storage(environment).engine() != io.valerix.harness.services.Storage.Engine.POSTGRES) {
                    throw usage("--order-instances " + orderInstances
                            + " share one order database, which takes PostgreSQL: add --db postgres"
                            + " (or --order-db-url and --inventory-db-url); an H2 file has one owner");
                }
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        for (KillSpec k : killSpecs()) {
            if (k.instance() > orderInstances) {
                throw usage("--kill " + k.toText() + ": there are " + orderInstances + " order instances");
            }
            if (k.schedule().timesBefore(duration).isEmpty()) {
                throw usage("--kill " + k.toText() + " never strikes: sending lasts " + duration.toSeconds() + " s");
            }
        }
    }

    /** The --kill options, parsed. */
    private List<KillSpec> killSpecs() {
        List<KillSpec> specs = new ArrayList<>();
        for (String k : kill) {
            try {
                specs.add(KillSpec.parse(k));
            } catch (IllegalArgumentException e) {
                throw usage("--kill: " + e.getMessage());
            }
        }
        return specs;
    }

    /** The --link options, parsed and checked not to overlap. */
    private List<LinkWindow> linkWindows() {
        List<LinkWindow> windows = new ArrayList<>();
        for (String l : link) {
            try {
                windows.add(LinkWindow.parse(l));
            } catch (IllegalArgumentException e) {
                throw usage("--link: " + e.getMessage());
            }
        }
        try {
            return LinkWindow.schedule(windows);
        } catch (IllegalArgumentException e) {
            throw usage("--link: " + e.getMessage());
        }
    }

    /** Services as processes: asked for, or needed to kill one, to run several order instances or to put a proxy between them. */
    private boolean forked() {
        return fork || orderInstances > 1 || !kill.isEmpty() || !link.isEmpty();
    }

    private ServicePair.Settings pairSettings(Path runDir) {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        // A chaos run gets fresh databases and free ports unless told otherwise, so it never collides
        // with a 'valerix up' on the default ports or inherits its stock.
        if (!parsed.hasMatchedOption("--order-port")) {
            services.orderPort = 0;
        }
        if (!parsed.hasMatchedOption("--inventory-port")) {
            services.inventoryPort = 0;
        }
        if (!parsed.hasMatchedOption("--data-dir")) {
            services.dataDir = runDir.resolve("data");
        }
        ServicePair.Settings s = UpCommand.settings(services, environment);
        // The gremlin is off until the chaos phase; started with it on, even the order service's
        // start-up catalog read would wait for it.
        return new ServicePair.Settings(
                s.orderPort(),
                s.inventoryPort(),
                GremlinSpec.none(),
                s.seed(),
                s.timeout(),
                s.stock(),
                s.adminToken(),
                s.serviceToken(),
                s.dataDir(),
                s.health(),
                s.warmupOrders(),
                s.storage());
    }

    private ChaosSettings chaosSettings(long seed) {
        try {
            return ChaosSettings.builder()
                    .duration(duration)
                    .rate(rate)
                    .users(users)
                    .duplicates(duplicates)
                    .gremlin(GremlinSpec.parse(services.gremlin))
                    .orderTimeout(services.timeout)
                    .seed(seed)
                    .maxInFlight(maxInFlight)
                    .settleTimeout(settleTimeout)
                    .drainTimeout(drainTimeout)
                    .build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private static int conclude(PrintWriter out, ChaosRun.Result result) {
        RunSummary summary = result.summary();
        Verdict s = summary.verdict();
        Map<String, Long> o = s.outcomes();
        out.println();
        if (s.orders() == 0) {
            out.println("No verdict: no order reached the order service, so there is nothing to judge. See "
                    + result.runDir().resolve("valerix.log"));
            out.flush();
            return ExitCodes.ERROR;
        }
        out.printf(Locale.ROOT, "Verdict: %s%n", s.name());
        out.printf(
                Locale.ROOT,
                "  orders         %,d  (%,d CONFIRMED, %,d REJECTED, %,d FAILED) from %,d requests%n",
                s.orders(),
                o.getOrDefault("ordersConfirmed", 0L),
                o.getOrDefault("ordersRejected", 0L),
                o.getOrDefault("ordersFailed", 0L),
                s.requests());
        line(out, "lost", s.lost(), "acknowledged, then missing (no order, or CONFIRMED without order or reservation)");
        line(out, "duplicated", s.duplicated(), "orders or reservations nobody asked for");
        line(out, "oversold", s.oversold(), "SKUs below zero or over-reserved");
        line(out, "unconserved", s.unconserved(), "SKUs whose stock does not add up");
        line(out, "pending", s.pending(), "orders never settled");
        line(out, "disagreements", s.disagreements(), "orders the two databases disagree on");
        String label = "  latency (ms)   ";
        for (Map.Entry<String, PhaseLatency> e : summary.latency().entrySet()) {
            PhaseLatency l = e.getValue();
            out.printf(
                    Locale.ROOT,
                    "%s%-9s p50 %6.0f   p99 %6.0f   max %6.0f%n",
                    label,
                    e.getKey(),
                    l.p50(),
                    l.p99(),
                    l.max());
            label = "                 ";
        }
        int shown = 0;
        for (Verdict.Finding f : s.findings()) {
            if (shown++ == 0) {
                out.println("  first findings:");
            }
            if (shown > 5) {
                out.println("    ... (all of them in the report)");
                break;
            }
            out.printf("    %-13s %s: %s%n", f.category(), f.subject(), f.detail());
        }
        out.println();
        out.println("Report:    " + result.report().toAbsolutePath());
        out.println("Reproduce: " + summary.command());
        out.flush();
        return s.passed() ? ExitCodes.SUCCESS : ExitCodes.FAILED_VERDICT;
    }

    private static void line(PrintWriter out, String name, long count, String meaning) {
        out.printf(Locale.ROOT, "  %-14s %d%s%n", name, count, count == 0 ? "" : "   <- " + meaning);
    }

    private Path defaultRunDirectory() {
        Path base = Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Path dir = base;
        for (int i = 2; Files.exists(dir); i++) {
            dir = Path.of(base + "-" + i);
        }
        return dir;
    }

    /** The command as given, without --out (a repeat gets its own directory), with the seed. */
    private String reproduceCommand(long seed) {
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        // The parse result of a subcommand holds the whole command line, from 'chaos' on or before it.
        int self = args.indexOf(spec.name());
        if (self >= 0) {
            args = new ArrayList<>(args.subList(self + 1, args.size()));
        }
        List<String> kept = new ArrayList<>();
        boolean seedGiven = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--out")
                    || arg.equals("--admin-token")
                    || arg.equals("--service-token")
                    || arg.equals("--inventory-admin-token")
                    || arg.equals("--order-admin-token")) {
                if (!arg.equals("--out")) {
                    kept.add(arg);
                    kept.add("<token>");
                }
                i++;
                continue;
            }
            if (arg.startsWith("--out=")) {
                continue;
            }
            if (arg.startsWith("--admin-token=")
                    || arg.startsWith("--service-token=")
                    || arg.startsWith("--inventory-admin-token=")
                    || arg.startsWith("--order-admin-token=")) {
                kept.add(arg.substring(0, arg.indexOf('=') + 1) + "<token>");
                continue;
            }
            seedGiven |= arg.equals("--seed") || arg.startsWith("--seed=");
            kept.add(arg);
        }
        if (!seedGiven) {
            kept.add("--seed");
            kept.add(Long.toString(seed));
        }
        StringBuilder command = new StringBuilder("valerix chaos");
        for (String arg : kept) {
            command.append(' ')
                    .append(arg.matches("[A-Za-z0-9_./:=%,@+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return command.toString();
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Whether standard output is a terminal, so a live progress line makes sense. */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Since JDK 22 System.console() may exist when output is redirected; isTerminal() tells.
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** Reads a share as {@code 0.2} or {@code 20%}. */
    static final class ShareConverter implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            String text = value.strip();
            try {
                return text.endsWith("%")
                        ? Double.parseDouble(text.substring(0, text.length() - 1)) / 100
                        : Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a share; write it like 0.2 or 20%");
            }
        }
    }
}
