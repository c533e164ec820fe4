package io.valerix.harness.chaos;

import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.harness.chaos.DatabaseSnapshot.StockRow;
import io.valerix.harness.chaos.internal.ClientLog;
import io.valerix.harness.chaos.internal.DatabaseReader;
import io.valerix.harness.chaos.internal.HealthSampler;
import io.valerix.harness.chaos.internal.KillRunner;
import io.valerix.harness.chaos.internal.LoadGenerator;
import io.valerix.harness.chaos.internal.ProgressLine;
import io.valerix.harness.chaos.internal.RunClock;
import io.valerix.harness.chaos.internal.WarmUp;
import io.valerix.harness.chaos.internal.WorkloadPlan;
import io.valerix.harness.link.LinkProxy;
import io.valerix.harness.link.LinkWindow;
import io.valerix.harness.report.AttemptRecord;
import io.valerix.harness.report.HtmlReport;
import io.valerix.harness.report.KillEvent;
import io.valerix.harness.report.LinkWindowEvent;
import io.valerix.harness.report.RunFiles;
import io.valerix.harness.report.RunInfo;
import io.valerix.harness.report.RunStatistics;
import io.valerix.harness.report.RunSummary;
import io.valerix.harness.report.Verdict;
import java.io.Flushable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chaos run: baseline, chaos, recovery; drain; wait for the reconciler; check; write the run
 * directory (see {@link RunFiles}) and its report.
 *
 * <p><b>What the seed makes reproducible.</b> The workload: every intent's SKU, quantity, send time
 * (open model), duplicate and patience choices and retry jitter are a function of the seed and the
 * intent's number (only the run's order-id prefix is new each run). The gremlin: the decision for
 * inventory request number {@code n} is a function of the seed, {@code n} and the spec in force.
 * Not reproducible: which request becomes number {@code n}, because the order service's calls, its
 * retries, the reconciler, the health readings and the check all reach inventory in an order that
 * timing decides, and the phase switch lands on a different request number; so the same seed gives
 * the same sequence of decisions, but not the same decision for the same order. The decision log
 * ({@value RunFiles#GREMLIN}) records which request got which, and {@code
 * Gremlin.builder(seed).replay(DecisionLog.read(…))} replays that sequence.
 *
 * <p>Not thread-safe: one run at a time per instance.
 */
public final class ChaosRun {

    private static final Logger log = LoggerFactory.getLogger(ChaosRun.class);

    /** The words {@code run.json} carries about reproducibility; see the class comment. */
    public static final String REPRODUCIBILITY =
            "The seed fixes the workload (each order's SKU, quantity, send time, duplicate and patience choices, retry jitter) and "
                    + "the gremlin's decision for inventory request number n under a given spec. Timing decides which request becomes "
                    + "number n (order calls, retries, reconciler, health readings and the check interleave), so the same seed gives the "
                    + "same sequence of decisions but not the same decision for the same order; gremlin.jsonl records which got which "
                    + "and can be replayed with Gremlin.builder(seed).replay(...).";

    /** What a run produced. */
    public record Result(RunSummary summary, RunInfo info, Path runDir, Path report) {

        public Verdict verdict() {
            return summary.verdict();
        }
    }

    private final ChaosSettings settings;
    private final ServiceTarget target;
    private final Path runDir;
    private final PrintWriter out;
    private final boolean terminal;
    private final String command;
    private Flushable decisionLog;
    private List<KillSpec> kills = List.of();
    private KillRunner.Killer killer;
    private LinkProxy link;
    private List<LinkWindow> linkWindows = List.of();

    /**
     * @param out where to tell a person what is happening
     * @param terminal whether {@code out} is a terminal, so a live progress line can be drawn
     * @param command the command line that repeats this run, for the report
     */
    public ChaosRun(
            ChaosSettings settings,
            ServiceTarget target,
            Path runDir,
            PrintWriter out,
            boolean terminal,
            String command) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.target = Objects.requireNonNull(target, "target");
        this.runDir = Objects.requireNonNull(runDir, "runDir");
        this.out = Objects.requireNonNull(out, "out");
        this.terminal = terminal;
        this.command = Objects.requireNonNull(command, "command");
    }

    /** Flushes {@code decisionLog} (the gremlin's, written to the run directory) before the report reads it. */
    public ChaosRun flushingBeforeReport(Flushable decisionLog) {
        this.decisionLog = Objects.requireNonNull(decisionLog, "decisionLog");
        return this;
    }

    /**
     * Kills services on {@code kills}' schedules during the run ({@code kill -9}, then a restart on
     * the same data), through {@code killer}, for example {@link io.valerix.harness.fleet.ServiceFleet#kill}.
     * The report marks each kill and its time to recover ({@link KillEvent}).
     */
    public ChaosRun killing(List<KillSpec> kills, KillRunner.Killer killer) {
        this.kills = List.copyOf(kills);
        this.killer = Objects.requireNonNull(killer, "killer");
        return this;
    }

    /**
     * Plays {@code windows} on {@code proxy}, the link between the order service and inventory,
     * counted from the start of sending. The report shades each window ({@link LinkWindowEvent}).
     */
    public ChaosRun linking(LinkProxy proxy, List<LinkWindow> windows) {
        this.link = Objects.requireNonNull(proxy, "proxy");
        this.linkWindows = LinkWindow.schedule(windows);
        return this;
    }

    // The link's faults on the run's timeline; a fault still on at the end ends where it began.
    private List<LinkWindowEvent> linkEvents(Instant runStartedAt) {
        if (link == null) {
            return List.of();
        }
        return link.events().stream()
                .map(event -> {
                    double start = java.time.Duration.between(runStartedAt, event.began())
                                    .toNanos()
                            / 1e6;
                    double end = event.ended()
                            .map(ended -> java.time.Duration.between(runStartedAt, ended)
                                            .toNanos()
                                    / 1e6)
                            .orElse(start);
                    return new LinkWindowEvent(
                            event.fault().toString(),
                            Math.round(start * 1e3) / 1e3,
                            Math.round(end * 1e3) / 1e3,
                            event.connectionsHit());
                })
                .toList();
    }

    /** A new run prefix: readable, and unique enough that two runs never share an order id. */
    public static String newRunId() {
        String time = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC)
                .format(Instant.now());
        return "chaos-" + time + "-" + String.format("%04x", new SecureRandom().nextInt(0x10000));
    }

    /**
     * Runs it.
     *
     * @throws InterruptedException if interrupted; requests in flight are cancelled
     * @throws UncheckedIOException if the run directory cannot be written
     */
    @SuppressWarnings("try") // the sampler and the log are closed early, before the check reads their files
    public Result run() throws InterruptedException {
        createDirectories(runDir);
        String runId = newRunId();
        Instant startedAt = Instant.now();
        try (DatabaseReader db = new DatabaseReader(target)) {
            target.setGremlin(GremlinSpec.none());
            out.println("Warming up (" + WarmUp.ORDERS
                    + " orders outside the run, so the baseline measures a warm system)...");
            out.flush();
            WarmUp.run(target, runId, db.stock());
            List<StockRow> stockBefore = db.stock();
            List<String> skus = stockBefore.stream().map(StockRow::sku).sorted().toList();
            WorkloadPlan plan =
                    new WorkloadPlan(settings.seed(), runId, skus, settings.duplicates(), settings.impatient());

            RunClock clock = RunClock.startingNow();
            Instant clockStartedAt = Instant.now();
            if (link != null && !linkWindows.isEmpty()) {
                link.play(linkWindows, clock.startNanos());
            }
            List<RunInfo.Phase> phases = new ArrayList<>();
            LoadGenerator load;
            long drainMs;
            int cutOff;
            List<KillRunner.Done> killed;
            try (ClientLog clientLog = new ClientLog(runDir.resolve(RunFiles.CLIENT));
                    HealthSampler health = new HealthSampler(
                            target.orderUri(), target.inventoryUri(), clock, runDir.resolve(RunFiles.HEALTH))) {
                health.start();
                load = new LoadGenerator(settings, plan, target.orderUris(), clientLog, clock);
                KillRunner killRunner = new KillRunner(kills, settings.duration(), killer, clock, out);
                try {
                    drive(load, health, clock, phases, killRunner);
                    // A restart under way finishes before the drain is judged: its clients are retrying now.
                    killRunner.await(java.time.Duration.ofMinutes(3));
                    if (killRunner.failure() != null) {
                        out.println("  A kill failed, so the run went on without more kills: " + killRunner.failure());
                    }
                    out.println("Sending done; waiting for " + load.activeTasks()
                            + " requests, retries and follow-ups still under way...");
                    out.flush();
                    double drainStart = clock.nowMs();
                    cutOff = load.drain();
                    drainMs = Math.round(clock.nowMs() - drainStart);
                } finally {
                    killRunner.stop();
                    load.close();
                }
                killed = killRunner.done();
                if (cutOff > 0) {
                    out.println("  " + cutOff + " were still under way after "
                            + settings.drainTimeout().toSeconds() + " s and were cancelled.");
                }
                double settleStart = clock.nowMs();
                DatabaseSnapshot snapshot = settledSnapshot(db, runId, stockBefore);
                long settleMs = Math.round(clock.nowMs() - settleStart);
                health.close();
                clientLog.close();
                List<AttemptRecord> attempts = clientLog.records();
                Verdict verdict = ConsistencyChecker.check(attempts, snapshot);
                log.info("verdict {}", verdict.name());

                Map<String, Long> stock = new LinkedHashMap<>();
                stockBefore.forEach(s -> stock.put(s.sku(), s.available()));
                RunInfo info = new RunInfo(
                        runId,
                        settings.seed(),
                        command,
                        startedAt.toString(),
                        target.startedHere(),
                        target.orderUri().toString(),
                        target.inventoryUri().toString(),
                        settings.gremlin().toText(),
                        target.startedHere() ? settings.orderTimeout().toMillis() : 0,
                        settings.users() > 0 ? 0 : settings.rate(),
                        settings.users(),
                        settings.duplicates(),
                        settings.duration().toMillis(),
                        stock,
                        phases,
                        drainMs,
                        settleMs,
                        REPRODUCIBILITY,
                        target.orderUris().stream().map(Object::toString).toList(),
                        killed.stream()
                                .map(k -> KillEvent.measure(
                                        k.service(), k.instanceId(), k.killedMs(), k.servingMs(), attempts))
                                .toList(),
                        linkEvents(clockStartedAt));
                RunSummary summary = new RunSummary(
                        verdict, settings.seed(), RunStatistics.latencyByPhase(attempts), command, RunFiles.REPORT);
                RunFiles.write(runDir.resolve(RunFiles.RUN), info);
                RunFiles.write(runDir.resolve(RunFiles.SUMMARY), summary);
                RunFiles.writeLines(runDir.resolve(RunFiles.ORDERS), snapshot.orders());
                RunFiles.writeLines(runDir.resolve(RunFiles.RESERVATIONS), snapshot.reservations());
                RunFiles.write(
                        runDir.resolve(RunFiles.STOCK),
                        Map.of("before", snapshot.stockBefore(), "after", snapshot.stockAfter()));
                if (decisionLog != null) {
                    try {
                        decisionLog.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException("writing the gremlin's decision log failed", e);
                    }
                }
                Path report = HtmlReport.renderRunDirectory(runDir);
                return new Result(summary, info, runDir, report);
            }
        }
    }

    /** Sends for the settings' duration, switching the gremlin at the phase boundaries, and shows progress once a second. */
    private void drive(
            LoadGenerator load, HealthSampler health, RunClock clock, List<RunInfo.Phase> phases, KillRunner killRunner)
            throws InterruptedException {
        long duration = settings.duration().toNanos();
        long[] starts = {
            0, settings.chaosStart().toNanos(), settings.recoveryStart().toNanos(), duration
        };
        String[] names = RunStatistics.PHASES.toArray(String[]::new);
        GremlinSpec[] specs = {GremlinSpec.none(), settings.gremlin(), GremlinSpec.none()};
        ProgressLine progress = new ProgressLine(out, terminal);
        long begin = System.nanoTime();
        Map<String, Long> countsAtStart = target.gremlinCounts();
        load.start();
        killRunner.start(begin);
        long tick = begin;
        for (int p = 0; p < 3; p++) {
            long phaseStart = begin + starts[p];
            sleepUntil(phaseStart);
            if (p > 0) {
                target.setGremlin(specs[p]);
            }
            Map<String, Long> counts = p == 0 ? countsAtStart : target.gremlinCounts();
            if (p > 0) {
                closePhase(phases, counts);
            }
            phases.add(new RunInfo.Phase(
                    names[p],
                    clock.ms(phaseStart),
                    clock.ms(begin + starts[p + 1]),
                    specs[p].toText(),
                    counts,
                    counts.getOrDefault("decisions", 0L) + 1));
            log.info("phase {} begins; inventory gremlin '{}'", names[p], specs[p].toText());
            progress.phase(names[p], specs[p].toText(), (starts[p + 1] - starts[p]) / 1_000_000_000.0);
            long phaseEnd = begin + starts[p + 1];
            while (true) {
                tick = Math.min(tick + 1_000_000_000L, phaseEnd);
                sleepUntil(tick);
                var h = load.intervalLatencies();
                progress.tick(
                        names[p],
                        (System.nanoTime() - begin) / 1e9,
                        duration / 1e9,
                        load.sent(),
                        load.intentsStarted(),
                        h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(99) / 1000.0,
                        health.latest("order"),
                        health.latest("inventory"));
                if (tick >= phaseEnd) {
                    break;
                }
            }
        }
        closePhase(phases, target.gremlinCounts());
        progress.done();
    }

    /** Turns the last phase's gremlin counts from "at its start" into "during it". */
    private static void closePhase(List<RunInfo.Phase> phases, Map<String, Long> countsNow) {
        RunInfo.Phase last = phases.remove(phases.size() - 1);
        Map<String, Long> during = new LinkedHashMap<>();
        // A restarted inventory (a --kill) counts from zero again: then "during" is what it counted since.
        countsNow.forEach((kind, now) -> {
            long before = last.gremlinCounts().getOrDefault(kind, 0L);
            during.put(kind, now >= before ? now - before : now);
        });
        phases.add(new RunInfo.Phase(
                last.name(), last.startMs(), last.endMs(), last.gremlin(), during, last.firstRequest()));
    }

    /**
     * Waits, bounded, until no order of the run is PENDING and the orders read the same before and
     * after the reservations and stock are read; then that is the snapshot. Requests the client gave
     * up on may still be working in the services, so one read is not enough to see a quiet world.
     */
    private DatabaseSnapshot settledSnapshot(DatabaseReader db, String runId, List<StockRow> stockBefore)
            throws InterruptedException {
        long deadline = System.nanoTime() + settings.settleTimeout().toNanos();
        boolean told = false;
        while (true) {
            List<DatabaseSnapshot.OrderRow> orders = db.orders(runId);
            long pending =
                    orders.stream().filter(o -> "PENDING".equals(o.status())).count();
            boolean late = System.nanoTime() >= deadline;
            if (pending == 0 || late) {
                List<DatabaseSnapshot.ReservationRow> reservations = db.reservations(runId);
                List<StockRow> stock = db.stock();
                if (late || orders.equals(db.orders(runId))) {
                    if (late && pending > 0) {
                        out.println("  " + pending + " orders are still PENDING after "
                                + settings.settleTimeout().toSeconds() + " s; the check counts them.");
                    }
                    out.println("Checking both databases against the client's log...");
                    out.flush();
                    return new DatabaseSnapshot(orders, reservations, stockBefore, stock);
                }
            } else if (!told) {
                out.println("Waiting (at most " + settings.settleTimeout().toSeconds()
                        + " s) for the reconciler to settle " + pending + " PENDING orders...");
                out.flush();
                told = true;
            }
            Thread.sleep(250);
        }
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run directory " + dir, e);
        }
    }
}
