package io.valerix.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.bench.report.ReportModel.Bar;
import io.valerix.bench.report.ReportModel.Chart;
import io.valerix.bench.report.ReportModel.Goal;
import io.valerix.bench.report.ReportModel.Row;
import io.valerix.bench.report.ReportModel.Section;
import io.valerix.bench.report.ReportModel.Table;
import io.valerix.bench.report.ReportModel.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sections made of the custom harnesses' figures: the timeout-firing measurement
 * ({@code timeouts.json}) and {@code valerix bench} ({@code e2e.json}). A missing file or part
 * makes a "not measured" section, never an invented figure.
 */
final class EndToEndSections {

    private final JsonNode timeouts;
    private final JsonNode e2e;
    private final List<Goal> goals;

    EndToEndSections(JsonNode timeouts, JsonNode e2e, List<Goal> goals) {
        this.timeouts = timeouts;
        this.e2e = e2e;
        this.goals = goals;
    }

    Section timeoutFiring() {
        if (timeouts == null || timeouts.path("rows").isEmpty()) {
            return notMeasured("Time-limited call, timeout firing");
        }
        List<Row> rows = new ArrayList<>();
        List<Bar> bars = new ArrayList<>();
        for (JsonNode row : timeouts.path("rows")) {
            boolean ours = row.path("library").asText().equals("valerix");
            String label = row.path("library").asText() + ", "
                    + row.path("caller").asText() + ", " + row.path("work").asText();
            int trials = row.path("trials").asInt();
            int still = row.path("stillRunning").asInt();
            rows.add(Row.of(
                    ours,
                    row.path("library").asText(),
                    row.path("caller").asText(),
                    row.path("work").asText(),
                    row.path("timedOut").asInt() + "/" + trials,
                    Numbers.format(row.path("lateP50Micros").asDouble() / 1000),
                    Numbers.format(row.path("lateP99Micros").asDouble() / 1000),
                    Numbers.format(row.path("lateMaxMicros").asDouble() / 1000),
                    still == 0 ? "no (0/" + trials + ")" : "YES (" + still + "/" + trials + ")"));
            bars.add(new Bar(label, row.path("lateP99Micros").asDouble() / 1000, ours));
        }
        return new Section(
                "Time-limited call, timeout firing",
                "Each trial runs work that would take "
                        + timeouts.path("workMillis").asInt() + " ms under a "
                        + timeouts.path("timeoutMillis").asInt()
                        + " ms timeout and measures how late after the deadline the caller "
                        + "gets control back, then looks "
                        + timeouts.path("graceMillis").asInt() + " ms later whether the work is still "
                        + "running. sleep: Thread.sleep (an interrupt ends it). http: a blocking OkHttp call to a loopback server that "
                        + "answers after " + timeouts.path("workMillis").asInt()
                        + " ms (an interrupt does not unblock a platform thread's "
                        + "socket read; Call.cancel() does). Valerix and Failsafe register call::cancel as their cancel action; "
                        + "Resilience4j has no such hook and CompletableFuture.cancel(true) does not interrupt.",
                List.of(new Table(
                        "Lateness and leftovers (" + timeouts.path("trials").asInt() + " trials each)",
                        List.of(
                                "library",
                                "caller",
                                "work",
                                "timed out",
                                "late p50 ms",
                                "late p99 ms",
                                "late max ms",
                                "work still running after"),
                        rows,
                        null,
                        new Chart("late p99 ms (lower is better)", bars))));
    }

    Section throughput() {
        JsonNode t = e2e == null ? null : e2e.get("throughput");
        if (t == null) {
            goals.add(new Goal(
                    "Orders/s, full path vs bare echo chain", "ratio ≥ 0.6", "not measured", Verdict.NOT_MEASURED));
            return notMeasured("End to end: orders per second");
        }
        double ratio = t.path("ratio").asDouble();
        double goal = t.path("goalRatio").asDouble(0.6);
        goals.add(new Goal(
                "Orders/s, full path vs bare echo chain",
                "ratio ≥ " + goal,
                Numbers.format(ratio) + " ("
                        + Numbers.format(t.path("orderPath").path("perSecond").asDouble()) + " vs "
                        + Numbers.format(t.path("echoChain").path("perSecond").asDouble()) + " orders/s)",
                Verdict.of(ratio >= goal)));
        List<Row> rows = List.of(
                loadRow(t.path("orderPath"), "full order path (order + inventory, both databases)", true),
                loadRow(t.path("echoChain"), "bare two-hop echo chain (same HTTP stack, no database)", false));
        List<Bar> bars = List.of(
                new Bar("full order path", t.path("orderPath").path("perSecond").asDouble(), true),
                new Bar("bare echo chain", t.path("echoChain").path("perSecond").asDouble(), false));
        return new Section(
                "End to end: orders per second, gremlin off",
                "valerix bench: " + t.path("users").asInt()
                        + " closed-loop users (platform threads, OkHttp keep-alive) in the same JVM "
                        + "as the services, " + t.path("warmupSeconds").asInt() + " s warm-up, then "
                        + Numbers.format(t.path("orderPath").path("seconds").asDouble())
                        + " s measured per target, one target after "
                        + "the other. The full path is POST /orders with an Idempotency-Key through the order service (idempotency "
                        + "claim, order row, reservation over HTTP, stock update, order update, stored answer) to inventory. "
                        + "Ratio full/echo: " + Numbers.format(ratio) + " (goal ≥ " + goal + ").",
                List.of(new Table(
                        "Throughput",
                        List.of("target", "orders/s", "p50 ms", "p99 ms", "max ms", "failed"),
                        rows,
                        null,
                        new Chart("orders/s (higher is better)", bars))));
    }

    Section gremlin() {
        JsonNode g = e2e == null ? null : e2e.get("gremlin");
        if (g == null) {
            goals.add(new Goal(
                    "Order p99 under the default gremlin", "≤ timeout + 25 ms", "not measured", Verdict.NOT_MEASURED));
            return notMeasured("End to end: latency under the gremlin");
        }
        double p99 = g.path("valerix").path("p99Millis").asDouble();
        double max = g.path("valerix").path("maxMillis").asDouble();
        long goal = g.path("goalP99Millis").asLong();
        long goalMax = g.path("timeoutMillis").asLong() + 50;
        goals.add(new Goal(
                "Order p99 and max under the default gremlin ("
                        + g.path("usersEachSide").asInt() + " users)",
                "≤ timeout + 25 ms = " + goal + " ms, max ≤ timeout + 50 ms = " + goalMax + " ms",
                Numbers.format(p99) + " ms (max "
                        + Numbers.format(max) + " ms; naive client p99 "
                        + Numbers.format(g.path("naive").path("p99Millis").asDouble()) + " ms)",
                Verdict.of(p99 <= goal && max <= goalMax)));
        List<Row> rows = List.of(
                loadRow(
                        g.path("valerix"),
                        "Valerix order service (deadline "
                                + g.path("timeoutMillis").asLong() + " ms)",
                        true),
                loadRow(g.path("naive"), "naive order front, no deadline", false));
        List<Bar> bars = new ArrayList<>();
        for (String side : List.of("valerix", "naive")) {
            JsonNode s = g.path(side);
            boolean ours = side.equals("valerix");
            bars.add(new Bar(side + " p50", s.path("p50Millis").asDouble(), ours));
            bars.add(new Bar(side + " p99", s.path("p99Millis").asDouble(), ours));
            bars.add(new Bar(side + " max", s.path("maxMillis").asDouble(), ours));
        }
        return new Section(
                "End to end: latency under the default gremlin",
                "Inventory's gremlin '" + g.path("spec").asText()
                        + "' (the response is held 0–5 s after the stock was taken). "
                        + g.path("usersEachSide").asInt()
                        + " closed-loop users post orders to the Valerix order service (timeout "
                        + g.path("timeoutMillis").asLong()
                        + " ms: after it the order answers 202 PENDING and the reconciler settles it); then, in a window of their own, "
                        + "as many users post to a naive order front that calls the same inventory with no deadline. "
                        + warmup(g)
                        + "Latency is what the user sees. Answers: Valerix " + statuses(g.path("valerix")) + "; naive "
                        + statuses(g.path("naive")) + ".",
                gremlinTables(g, rows, bars));
    }

    /** The gremlin part's warm-up sentence, when the figures say how long it was. */
    private static String warmup(JsonNode g) {
        if (!g.has("warmupSeconds")) {
            return "";
        }
        return "The first " + g.path("warmupSeconds").asLong()
                + " s of each side are not counted: every user starts at the same "
                + "instant, and those first lockstep rounds (connections opened, the load generator's code compiling) "
                + "are a cold start, which the cold-start section measures on its own. ";
    }

    Section coldStart() {
        JsonNode c = e2e == null ? null : e2e.get("coldstart");
        if (c == null) {
            goals.add(new Goal(
                    "Order p99 and max in the first second after start",
                    "≤ timeout + 25 ms, max ≤ timeout + 50 ms",
                    "not measured",
                    Verdict.NOT_MEASURED));
            return notMeasured("End to end: latency in the first second after start");
        }
        long timeout = c.path("timeoutMillis").asLong();
        long goalP99 = c.path("goalP99Millis").asLong();
        long goalMax = c.path("goalMaxMillis").asLong();
        double p99 = c.path("p99Millis").asDouble();
        double max = c.path("maxMillis").asDouble();
        long sent = c.path("sent").asLong();
        boolean allAnswered =
                c.path("error").isNull() && sent > 0 && c.path("answered").asLong() == sent;
        JsonNode later = c.path("later");
        boolean hasLater = later.isObject();
        List<String> roundMaxima = new ArrayList<>();
        for (JsonNode round : c.path("perRound")) {
            roundMaxima.add(Numbers.format(round.path("cold").path("maxMillis").asDouble()));
        }
        goals.add(new Goal(
                "Order p99 and max in the first second after start ("
                        + c.path("ordersPerRound").asInt() + " at once, "
                        + c.path("perRound").size() + " fresh starts)",
                "≤ timeout + 25 ms = " + goalP99 + " ms, max ≤ timeout + 50 ms = " + goalMax + " ms",
                (allAnswered
                                ? ""
                                : "NOT ALL ANSWERED (" + c.path("answered").asLong() + " of " + sent
                                        + (c.path("error").isNull()
                                                ? ""
                                                : "; " + c.path("error").asText()) + "); ")
                        + "p99 " + Numbers.format(p99) + " ms, max " + Numbers.format(max) + " ms (per start: "
                        + String.join(", ", roundMaxima) + " ms"
                        + (hasLater
                                ? "; a later burst at the same services: p99 "
                                        + Numbers.format(later.path("p99Millis").asDouble()) + " ms, max "
                                        + Numbers.format(later.path("maxMillis").asDouble()) + " ms"
                                : "")
                        + ")",
                Verdict.of(allAnswered && p99 <= goalP99 && max <= goalMax)));
        List<Row> overall = new ArrayList<>();
        overall.add(Row.of(
                true,
                "the moment it is announced (" + Numbers.format(sent) + " orders)",
                Numbers.format(c.path("p50Millis").asDouble()),
                Numbers.format(p99),
                Numbers.format(max),
                statuses(c)));
        if (hasLater) {
            overall.add(Row.of(
                    false,
                    Numbers.format(later.path("afterMillis").asDouble() / 1000)
                            + " s after the first burst's last answer ("
                            + Numbers.format(later.path("sent").asDouble()) + " orders)",
                    Numbers.format(later.path("p50Millis").asDouble()),
                    Numbers.format(later.path("p99Millis").asDouble()),
                    Numbers.format(later.path("maxMillis").asDouble()),
                    statuses(later)));
        }
        List<Row> rounds = new ArrayList<>();
        List<Bar> bars = new ArrayList<>();
        for (JsonNode round : c.path("perRound")) {
            int number = round.path("round").asInt();
            for (String burst : List.of("cold", "later")) {
                JsonNode b = round.path(burst);
                if (!b.isObject()) {
                    continue;
                }
                boolean cold = burst.equals("cold");
                JsonNode server = b.path("server").path("server");
                JsonNode waiting = b.path("phases").path("waiting");
                rounds.add(Row.of(
                        cold,
                        number + (cold ? ", at announcement" : ", later"),
                        cold ? Numbers.format(round.path("startMillis").asDouble() / 1000) : "",
                        Numbers.format(b.path("p50Millis").asDouble()),
                        Numbers.format(b.path("p99Millis").asDouble()),
                        Numbers.format(b.path("maxMillis").asDouble()),
                        waiting.isMissingNode()
                                ? "–"
                                : Numbers.format(waiting.path("maxMillis").asDouble()),
                        server.isMissingNode()
                                ? "–"
                                : Numbers.format(server.path("p99Millis").asDouble()) + " / "
                                        + Numbers.format(
                                                server.path("maxMillis").asDouble()),
                        statuses(b)));
                bars.add(new Bar(
                        "round " + number + (cold ? " at announcement" : " later") + ", max",
                        b.path("maxMillis").asDouble(),
                        cold));
            }
            if (!round.path("error").isNull()) {
                rounds.add(Row.of(true, number + ", ERROR", round.path("error").asText(), "", "", "", "", "", ""));
            }
        }
        bars.add(new Bar("goal: max ≤ timeout + 50 ms", goalMax, false));
        String warm = c.path("perRound").path(0).path("warm").asText("");
        return new Section(
                "End to end: latency in the first second after start",
                "valerix bench, part coldstart: each round starts a fresh JVM running `valerix up --db "
                        + c.path("db").asText("h2") + "` (gremlin '"
                        + c.path("spec").asText()
                        + "', timeout " + timeout + " ms, "
                        + c.path("warmupOrders").asInt() + " warm-up orders, new temporary data directory, "
                        + "free ports) and, the moment it prints the order service's address, fires "
                        + c.path("ordersPerRound").asInt()
                        + " POST /orders at once (virtual threads released by one latch, new connections, a new Idempotency-Key each)"
                        + (hasLater
                                ? "; "
                                        + Numbers.format(
                                                later.path("afterMillis").asDouble() / 1000)
                                        + " s after the last answer, as many again at "
                                        + "the same, now warm, services (the control)"
                                : "")
                        + ". The bench JVM's HTTP client was warmed on a local echo chain first, so only the server is cold. Latency is what "
                        + "the client saw, from sending to the whole answer. After each burst the order service's own latency monitor is read "
                        + "(GET /health: its window holds that burst alone, since warm-up runs on a scratch pair); then the JVM is killed."
                        + (warm.isEmpty() ? "" : " Warm-up in round 1: " + warm + "."),
                List.of(
                        new Table(
                                "Order latency as the clients saw it, all rounds",
                                List.of("burst", "p50 ms", "p99 ms", "max ms", "answers"),
                                overall,
                                null,
                                null),
                        new Table(
                                "Each fresh start",
                                List.of(
                                        "round, burst",
                                        "start to announcement s",
                                        "p50 ms",
                                        "p99 ms",
                                        "max ms",
                                        "max ms from request sent to first byte of reply",
                                        "order service's own p99 / max ms",
                                        "answers"),
                                rounds,
                                "The order service measures from reading the request to answering it; the client also sees connecting, the "
                                        + "request's way in (the server accepting the connection and reading the request) and the reply's way out.",
                                new Chart("ms (lower is better)", bars))));
    }

    private static List<Table> gremlinTables(JsonNode g, List<Row> rows, List<Bar> bars) {
        List<Table> tables = new ArrayList<>();
        tables.add(new Table(
                "Order latency as the users saw it",
                List.of("client", "orders/s", "p50 ms", "p99 ms", "max ms", "failed"),
                rows,
                null,
                new Chart("ms (lower is better)", bars)));
        JsonNode inside = g.path("orderServiceOwnWindow");
        if (inside.has("server")) {
            List<Row> own = new ArrayList<>();
            own.add(windowRow("POST /orders, from reading the request to answering it", inside.path("server")));
            for (Map.Entry<String, JsonNode> entry : inside.properties()) {
                if (entry.getKey().startsWith("inventoryPut-")) {
                    String outcome = entry.getKey().substring("inventoryPut-".length());
                    own.add(windowRow(
                            "its PUT /reservations calls to inventory, outcome " + outcome
                                    + (outcome.equals("timeout") ? " (the deadline fired)" : ""),
                            entry.getValue()));
                }
            }
            tables.add(new Table(
                    "Inside the Valerix order service: its own latency monitor, last "
                            + inside.path("windowSeconds").asInt() + " s of the measured window",
                    List.of("what", "count", "p50 ms", "p99 ms", "max ms"),
                    own,
                    "What users saw minus what the server measured is time before the server read the request; what the server measured "
                            + "minus the inventory call is the order's own work around it (database, idempotency record).",
                    null));
        }
        return tables;
    }

    private static Row windowRow(String label, JsonNode window) {
        return Row.of(
                true,
                label,
                Numbers.format(window.path("count").asDouble()),
                Numbers.format(window.path("p50Millis").asDouble()),
                Numbers.format(window.path("p99Millis").asDouble()),
                Numbers.format(window.path("maxMillis").asDouble()));
    }

    Section memory() {
        JsonNode m = e2e == null ? null : e2e.get("memory");
        if (m == null) {
            goals.add(new Goal(
                    "Orders in flight at once in a small heap", "no error", "not measured", Verdict.NOT_MEASURED));
            return notMeasured("End to end: orders in flight in a small heap");
        }
        JsonNode child = m.path("child");
        int orders = m.path("orders").asInt();
        boolean allConfirmed = m.path("confirmed").asLong() == orders;
        boolean errorFree = m.path("error").isNull()
                && m.path("answered").asLong() == orders
                && m.path("statuses").properties().stream()
                        .noneMatch(e -> e.getKey().startsWith("5") || e.getKey().equals("transport-error"));
        boolean allAtOnce = child.path("peakInFlight").asInt() >= orders;
        double maxMb = child.path("heapMaxMb").asDouble();
        double afterGcMb = child.path("heapAfterGcPeakMb").asDouble();
        JsonNode live = child.path("liveAtPeak");
        boolean hasLive = live.has("liveMb");
        double perOrderKb = hasLive && orders > 0
                ? (live.path("liveMb").asDouble() - child.path("heapBaselineMb").asDouble()) * 1024 / orders
                : Double.NaN;
        boolean noHeadroom = afterGcMb >= 0.9 * maxMb;
        String heap = "heap peak " + Numbers.format(child.path("heapUsedPeakMb").asDouble()) + " MB used of "
                + Numbers.format(maxMb) + " MB"
                + (hasLive
                        ? "; " + Numbers.format(live.path("liveMb").asDouble()) + " MB live with all held ("
                                + Numbers.format(perOrderKb) + " KB per order)"
                        : "")
                + (noHeadroom
                        ? "; the heap was still " + Numbers.format(afterGcMb)
                                + " MB right after a collection: almost no headroom"
                        : "");
        goals.add(new Goal(
                Numbers.format(orders) + " orders in flight at once, -Xmx"
                        + m.path("maxHeap").asText(),
                "no error; heap peak reported",
                (errorFree
                                ? "no error"
                                : "ERROR: "
                                        + (m.path("error").isNull()
                                                ? "answers " + m.path("statuses")
                                                : m.path("error").asText()))
                        + "; " + Numbers.format(child.path("peakInFlight").asDouble()) + " held at once; " + heap,
                Verdict.of(errorFree && allAtOnce)));
        List<Row> rows = new ArrayList<>();
        rows.add(Row.of(true, "orders sent", Numbers.format(orders)));
        rows.add(Row.of(true, "answers", statuses(m)));
        rows.add(Row.of(
                true,
                "most orders held at inventory at once",
                Numbers.format(child.path("peakInFlight").asDouble())
                        + (allAtOnce ? "" : " (fewer than sent: not all were in flight at once)")));
        rows.add(Row.of(
                true,
                "time for all of them to arrive",
                child.path("rampMillis").asLong() < 0
                        ? "never"
                        : Numbers.format(child.path("rampMillis").asDouble() / 1000) + " s"));
        rows.add(Row.of(
                true,
                "heap used, peak (sampled every 10 ms, garbage included)",
                Numbers.format(child.path("heapUsedPeakMb").asDouble()) + " MB"));
        rows.add(Row.of(
                true,
                "heap occupied right after a collection, peak (young collections leave old garbage)",
                Numbers.format(afterGcMb) + " MB"));
        rows.add(Row.of(
                true,
                "live heap with every order held (after a full collection)",
                hasLive ? Numbers.format(live.path("liveMb").asDouble()) + " MB" : "not taken"));
        rows.add(Row.of(
                true,
                "live heap with both services idle, before the load",
                Numbers.format(child.path("heapBaselineMb").asDouble()) + " MB"));
        rows.add(Row.of(
                true, "live heap per order in flight", hasLive ? Numbers.format(perOrderKb) + " KB" : "not taken"));
        rows.add(Row.of(true, "heap max (-Xmx)", Numbers.format(maxMb) + " MB"));
        rows.add(Row.of(
                true,
                "GC: collections, total pause",
                child.path("gcCount").asLong() + ", " + child.path("gcMillis").asLong() + " ms"));
        rows.add(Row.of(true, "whole run", Numbers.format(m.path("seconds").asDouble()) + " s"));
        if (!m.path("error").isNull()) {
            rows.add(Row.of(true, "error", m.path("error").asText()));
        }
        List<Row> classes = new ArrayList<>();
        List<Bar> classBars = new ArrayList<>();
        for (JsonNode c : live.path("top")) {
            classes.add(Row.of(
                    false,
                    c.path("class").asText(),
                    Numbers.format(c.path("instances").asDouble()),
                    Numbers.format(c.path("mb").asDouble())));
            classBars.add(new Bar(c.path("class").asText(), c.path("mb").asDouble(), false));
        }
        List<Table> tables = new ArrayList<>();
        tables.add(new Table("Memory", List.of("figure", "value"), rows, null, null));
        if (!classes.isEmpty()) {
            tables.add(new Table(
                    "What the held orders keep alive: largest classes of the live heap",
                    List.of("class", "instances", "MB"),
                    classes,
                    "[B is byte[], [C is char[]; StackChunk holds the stacks of parked virtual threads.",
                    new Chart("MB live", classBars)));
        }
        return new Section(
                "End to end: " + Numbers.format(orders) + " orders in flight in a "
                        + m.path("maxHeap").asText() + " heap",
                "A child JVM with -Xmx" + m.path("maxHeap").asText()
                        + " runs the order service (HTTP in, its H2 database, "
                        + "idempotency, reconciler) with inventory in the same process behind a gremlin that takes the stock and then "
                        + "holds every answer until all orders are held at once, plus 3 s. The load generator (another JVM) opens one "
                        + "connection per order. Inventory is in-process, not over HTTP, because over HTTP each in-flight order holds two "
                        + "sockets in the order service and this machine's hard limit is 20,000 file descriptors per process; the "
                        + "figure therefore leaves out the order service's outbound HTTP connections.",
                tables);
    }

    private static Row loadRow(JsonNode outcome, String label, boolean ours) {
        return Row.of(
                ours,
                label,
                Numbers.format(outcome.path("perSecond").asDouble()),
                Numbers.format(outcome.path("p50Millis").asDouble()),
                Numbers.format(outcome.path("p99Millis").asDouble()),
                Numbers.format(outcome.path("maxMillis").asDouble()),
                outcome.path("failed").asLong() + " of "
                        + outcome.path("sampled").asLong());
    }

    private static String statuses(JsonNode outcome) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : outcome.path("statuses").properties()) {
            parts.add(e.getValue().asLong() + " × " + e.getKey());
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static Section notMeasured(String title) {
        return new Section(title, "Not measured in this run.", List.of());
    }
}
