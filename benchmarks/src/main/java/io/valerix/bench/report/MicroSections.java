package io.valerix.bench.report;

import io.valerix.bench.report.JmhResults.Score;
import io.valerix.bench.report.ReportModel.Bar;
import io.valerix.bench.report.ReportModel.Chart;
import io.valerix.bench.report.ReportModel.Goal;
import io.valerix.bench.report.ReportModel.Row;
import io.valerix.bench.report.ReportModel.Section;
import io.valerix.bench.report.ReportModel.Table;
import io.valerix.bench.report.ReportModel.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The sections made of JMH figures: time limiter, idempotency store, gremlin, latency recording, JSON. */
final class MicroSections {

    private final JmhResults jmh;
    private final List<Goal> goals;

    MicroSections(JmhResults jmh, List<Goal> goals) {
        this.jmh = jmh;
        this.goals = goals;
    }

    private record Variant(String method, String label, boolean ours) {}

    /** The section, or a "not measured" one when none of its tables has a row. */
    private static Section section(String title, String text, List<Table> tables) {
        List<Table> measured =
                tables.stream().filter(table -> !table.rows().isEmpty()).toList();
        return measured.isEmpty()
                ? new Section(title, "Not measured in this run.", List.of())
                : new Section(title, text, measured);
    }

    Section timeLimiter() {
        List<Table> tables = new ArrayList<>();
        tables.add(timeLimiterTable("platform", ""));
        tables.add(timeLimiterTable("virtual", "virtualCaller"));
        return section(
                "Time-limited call, timeout not firing",
                "A trivial task (increment a counter) run under a 1 s timeout that never fires. Overhead is the score "
                        + "minus the baseline of the same caller kind. Valerix runs the call on the caller and arms a timer; "
                        + "Resilience4j needs a future, so the task moves to another thread; Failsafe runs it on the caller "
                        + "with its own timeout scheduler. The virtual-caller rows run batches of "
                        + "1,000 calls on a fresh virtual thread (the baseline pays the same thread start). "
                        + "Goal: Valerix's overhead at most half the faster peer's.",
                tables);
    }

    private Table timeLimiterTable(String caller, String prefix) {
        List<Variant> variants = List.of(
                new Variant("baseline", "no limiter (baseline)", false),
                new Variant("valerixCallerRuns", "Valerix TimeLimiter (caller runs)", true),
                new Variant("failsafeTimeoutWithInterrupt", "Failsafe Timeout, withInterrupt", false),
                new Variant("resilience4jPlatformPool", "Resilience4j TimeLimiter, platform pool", false),
                new Variant("resilience4jVirtualThreads", "Resilience4j TimeLimiter, virtual threads", false));
        Optional<Score> baseline = score(prefix, "baseline");
        Optional<Score> valerix = score(prefix, "valerixCallerRuns");
        double base = baseline.map(Score::score).orElse(Double.NaN);
        double ours = valerix.map(s -> s.score() - base).orElse(Double.NaN);
        List<Row> rows = new ArrayList<>();
        List<Bar> bars = new ArrayList<>();
        double fastestPeer = Double.POSITIVE_INFINITY;
        for (Variant variant : variants) {
            Optional<Score> score = score(prefix, variant.method());
            if (score.isEmpty()) {
                continue;
            }
            Score s = score.get();
            double overhead = s.score() - base;
            boolean peer = !variant.ours() && !variant.method().equals("baseline");
            if (peer) {
                fastestPeer = Math.min(fastestPeer, overhead);
            }
            String versus = peer ? Numbers.ratio(overhead / ours) + " Valerix's" : variant.ours() ? "1×" : "";
            rows.add(Row.of(
                    variant.ours(),
                    variant.label(),
                    Numbers.withError(s.score(), s.error()),
                    variant.method().equals("baseline") ? "0" : Numbers.format(overhead),
                    Numbers.bytes(s.bytesPerOp()),
                    versus));
            if (!variant.method().equals("baseline")) {
                bars.add(new Bar(variant.label(), overhead, variant.ours()));
            }
        }
        String goal = "Valerix TimeLimiter overhead, " + caller + " caller";
        if (rows.isEmpty() || Double.isNaN(ours) || Double.isInfinite(fastestPeer)) {
            goals.add(new Goal(goal, "≤ ½ the faster peer's", "not measured", Verdict.NOT_MEASURED));
        } else {
            goals.add(new Goal(
                    goal,
                    "≤ ½ the faster peer's (≤ " + Numbers.format(fastestPeer / 2) + " ns)",
                    Numbers.format(ours) + " ns (" + Numbers.ratio(fastestPeer / ours)
                            + " cheaper than the faster peer)",
                    Verdict.of(ours <= fastestPeer / 2)));
        }
        return new Table(
                caller.substring(0, 1).toUpperCase() + caller.substring(1) + " caller thread",
                List.of("variant", "ns/op", "overhead ns/op", "B/op", "peer overhead vs Valerix"),
                rows,
                null,
                new Chart("overhead ns/op (lower is better)", bars));
    }

    private Optional<Score> score(String prefix, String method) {
        String name =
                prefix.isEmpty() ? method : prefix + Character.toUpperCase(method.charAt(0)) + method.substring(1);
        return jmh.score("TimeLimiterBenchmark." + name);
    }

    Section idempotency() {
        List<Row> rows = new ArrayList<>();
        List<Bar> bars = new ArrayList<>();
        for (String op : List.of("claim", "replay")) {
            List<String> cells = new ArrayList<>();
            cells.add(
                    op.equals("claim")
                            ? "claim a new key + record its answer (2 commits)"
                            : "replay a finished key (1 lookup)");
            for (String threads : List.of("1Thread", "4Threads", "16Threads")) {
                Optional<Score> score = jmh.score("IdempotencyStoreBenchmark." + op + threads);
                cells.add(
                        score.map(s -> Numbers.withError(s.score(), s.error())).orElse("–"));
                score.ifPresent(s -> bars.add(new Bar(
                        op + ", " + threads.replace("Threads", " threads").replace("Thread", " thread"),
                        s.score(),
                        true)));
            }
            Optional<Score> single = jmh.score("IdempotencyStoreBenchmark." + op + "1Thread");
            cells.add(Numbers.bytes(single.map(Score::bytesPerOp).orElse(null)));
            if (cells.stream().skip(1).anyMatch(cell -> !cell.equals("–"))) {
                rows.add(new Row(cells, true));
            }
        }
        return section(
                "Idempotency store on H2",
                "IdempotencyStore.of over a durable H2 file (H2Database.open: WRITE_DELAY=0, every commit reaches the OS "
                        + "before it is acknowledged) in a temporary directory, pool of 16 connections.",
                List.of(new Table(
                        "Operations per second",
                        List.of("operation", "1 thread", "4 threads", "16 threads", "B/op (1 thread)"),
                        rows,
                        null,
                        new Chart("ops/s (higher is better)", bars))));
    }

    /** Goal from issue 14: the reconciler settles a backlog of 2,000 PENDING orders at 200/s or more. */
    static final double RECONCILER_GOAL_PER_SECOND = 200;

    Section reconciler() {
        Optional<Score> score = jmh.score("ReconcilerBacklogBenchmark.drainBacklog");
        if (score.isEmpty()) {
            goals.add(new Goal(
                    "Reconciler, backlog of 2,000 PENDING orders",
                    "≥ 200 settled orders/s",
                    "not measured",
                    Verdict.NOT_MEASURED));
            return section("Reconciler draining a backlog", "", List.of());
        }
        Score s = score.get();
        // The score is µs per settled order (single shot over the whole backlog).
        double perSecond = 1_000_000 / s.score();
        goals.add(new Goal(
                "Reconciler, backlog of 2,000 PENDING orders",
                "≥ 200 settled orders/s",
                Numbers.format(perSecond) + " orders/s",
                Verdict.of(perSecond >= RECONCILER_GOAL_PER_SECOND)));
        List<Row> rows = List.of(Row.of(
                true,
                "settleOnce() over 2,000 PENDING orders",
                Numbers.withError(s.score(), s.error()),
                Numbers.format(perSecond)));
        return section(
                "Reconciler draining a backlog",
                "OrderReconciler.settleOnce() over 2,000 due PENDING orders on durable H2 files, with the real inventory library "
                        + "in process: half were reserved (a lookup and a settle), half never reached inventory (a lookup, a cancel "
                        + "that writes a tombstone, a settle). Orders are claimed 100 at a time with FOR UPDATE SKIP LOCKED and a lease, "
                        + "and settled 16 at a time. Goal: at least 200 settled orders/s.",
                List.of(new Table(
                        "Time per settled order", List.of("run", "µs per order", "orders/s"), rows, null, null)));
    }

    Section gremlinAndLatency() {
        List<Row> gremlinRows = new ArrayList<>();
        List<Bar> gremlinBars = new ArrayList<>();
        for (Variant v : List.of(
                new Variant("decideNoSpec", "decide(), no spec", true),
                new Variant("decideDefaultSpec", "decide(), uniform(0ms,5s) after", true),
                new Variant("decideThreeRoutedRules", "decide(), three route-scoped rules", true))) {
            jmh.score("GremlinBenchmark." + v.method()).ifPresent(s -> {
                gremlinRows.add(Row.of(
                        true, v.label(), Numbers.withError(s.score(), s.error()), Numbers.bytes(s.bytesPerOp())));
                gremlinBars.add(new Bar(v.label(), s.score(), true));
            });
        }
        List<Row> latencyRows = new ArrayList<>();
        List<Bar> latencyBars = new ArrayList<>();
        Optional<Score> monitor = jmh.score("LatencyRecordingBenchmark.valerixLatencyMonitor");
        Optional<Score> recorder = jmh.score("LatencyRecordingBenchmark.hdrHistogramRecorder");
        monitor.ifPresent(s -> {
            String versus = recorder.map(r -> Numbers.ratio(s.score() / r.score()) + " the Recorder")
                    .orElse("");
            latencyRows.add(Row.of(
                    true,
                    "Valerix LatencyMonitor.record",
                    Numbers.withError(s.score(), s.error()),
                    Numbers.bytes(s.bytesPerOp()),
                    versus));
            latencyBars.add(new Bar("LatencyMonitor.record", s.score(), true));
        });
        recorder.ifPresent(s -> {
            latencyRows.add(Row.of(
                    false,
                    "HdrHistogram Recorder.recordValue",
                    Numbers.withError(s.score(), s.error()),
                    Numbers.bytes(s.bytesPerOp()),
                    "1×"));
            latencyBars.add(new Bar("Recorder.recordValue", s.score(), false));
        });
        return section(
                "Gremlin decision and latency recording",
                "Per-request costs of two filters. The gremlin decides what to inject (the decision only; nothing sleeps). "
                        + "LatencyMonitor.record updates a rolling window per route, a cumulative histogram and the server scope; "
                        + "a bare HdrHistogram Recorder (same range and precision) is the floor.",
                List.of(
                        new Table(
                                "Gremlin.decide",
                                List.of("variant", "ns/op", "B/op"),
                                gremlinRows,
                                null,
                                new Chart("ns/op (lower is better)", gremlinBars)),
                        new Table(
                                "Latency recording",
                                List.of("variant", "ns/op", "B/op", "vs Recorder"),
                                latencyRows,
                                null,
                                new Chart("ns/op (lower is better)", latencyBars))));
    }

    Section json() {
        List<Row> rows = new ArrayList<>();
        List<Bar> bars = new ArrayList<>();
        List<String> allocation = new ArrayList<>();
        shape(rows, bars, allocation, "JSON echo (PUT, body read and written)", "echo", "JsonEcho");
        shape(rows, bars, allocation, "/health GET", "health", "Health");
        String note = allocation.isEmpty()
                ? null
                : "B/op (-prof gc), per request of both servers and the client together: "
                        + String.join("; ", allocation) + ".";
        return section(
                "JSON round trip over loopback",
                "Requests per second, Valerix and bare Jetty measured together, in the same window, 2 client threads "
                        + "each (one OkHttp client, keep-alive): each shape is a JMH group, so drift of the machine hits "
                        + "both sides alike and the ratio is the servers', not the machine's. Each side's requests/s is "
                        + "therefore measured while the other side runs too, on the same cores, and is lower than that "
                        + "server alone would reach: compare the ratio, not the absolute figures. JMH's -prof gc measures "
                        + "a group as a whole, so B/op is given once per shape, under the table, not per server. "
                        + "Valerix's JsonServer runs on Jetty 12 and adds routing, the deadline, body limits, "
                        + "admission and problem mapping; the bare Jetty handler does the same Jackson work by hand on the same "
                        + "threading model (selector on platform threads, a virtual thread per request). Goal: Valerix at "
                        + "≥ " + JETTY_GOAL + "× bare Jetty. Before the move to Jetty (JDK HttpServer, commit f40bfd0, "
                        + "2026-11-25, one client thread, average time): Valerix JsonServer + JsonClient 2,766 µs per round trip "
                        + "(about 360 requests/s), the bare JDK HttpServer 1,443 µs (about 690 requests/s), on a machine at load 10.",
                List.of(new Table(
                        "Requests per second",
                        List.of("shape", "server", "requests/s", "vs bare Jetty"),
                        rows,
                        note,
                        new Chart("requests/s (higher is better)", bars))));
    }

    private static final double JETTY_GOAL = 0.7;

    /**
     * One shape's rows and goal, from its JMH group ({@code JsonRoundTripBenchmark.health}): each
     * server's score is the group's secondary metric named after its method, both from the same
     * window, so their ratio is the goal's figure.
     */
    private void shape(
            List<Row> rows, List<Bar> bars, List<String> allocation, String label, String group, String suffix) {
        String benchmark = "JsonRoundTripBenchmark." + group;
        Optional<Score> ours = jmh.secondary(benchmark, "valerix" + suffix);
        Optional<Score> bare = jmh.secondary(benchmark, "bareJetty" + suffix);
        ours.ifPresent(s -> {
            rows.add(Row.of(
                    true,
                    label,
                    "Valerix JsonServer on Jetty",
                    Numbers.withError(s.score(), s.error()),
                    bare.map(b -> Numbers.format(s.score() / b.score()) + "×").orElse("")));
            bars.add(new Bar(label + ", Valerix", s.score(), true));
        });
        bare.ifPresent(s -> {
            rows.add(Row.of(
                    false,
                    label,
                    "bare Jetty handler (same Jackson work)",
                    Numbers.withError(s.score(), s.error()),
                    "1×"));
            bars.add(new Bar(label + ", bare Jetty", s.score(), false));
        });
        jmh.score(benchmark)
                .map(Score::bytesPerOp)
                .ifPresent(bytes -> allocation.add(label + " " + Numbers.bytes(bytes)));
        String goal = "Valerix on Jetty vs bare Jetty, " + label;
        if (ours.isEmpty() || bare.isEmpty()) {
            goals.add(new Goal(goal, "≥ " + JETTY_GOAL + "×", "not measured", Verdict.NOT_MEASURED));
        } else {
            double ratio = ours.get().score() / bare.get().score();
            goals.add(new Goal(
                    goal,
                    "≥ " + JETTY_GOAL + "×",
                    Numbers.format(ratio) + "× (" + Numbers.format(ours.get().score()) + " vs "
                            + Numbers.format(bare.get().score()) + " requests/s, same window)",
                    Verdict.of(ratio >= JETTY_GOAL)));
        }
    }
}
