package io.valerix.harness.report.internal;

import io.valerix.harness.html.Html;
import io.valerix.harness.report.HealthSample;
import io.valerix.harness.report.PhaseLatency;
import io.valerix.harness.report.RunFiles;
import io.valerix.harness.report.RunInfo;
import io.valerix.harness.report.RunSummary;
import io.valerix.harness.report.Verdict;
import io.valerix.harness.report.Verdict.Finding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report's HTML, assembled from the run's figures; every value is escaped. Stateless. */
public final class ReportPage {

    private static final Map<String, String> MEANING = new LinkedHashMap<>();

    static {
        MEANING.put(
                "lost",
                "acknowledged to the client, then missing: no order, or told CONFIRMED without a confirmed order and a reservation");
        MEANING.put(
                "duplicated",
                "applied more than once: orders no intent asked for, reservations under ids nobody ordered with");
        MEANING.put("oversold", "SKUs with stock below zero, or more reserved than there was");
        MEANING.put(
                "unconserved",
                "SKUs whose stock does not add up (total ≠ available + reserved, or taken ≠ reserved by the run)");
        MEANING.put("pending", "orders still PENDING after the wait for the reconciler");
        MEANING.put(
                "disagreements",
                "orders the two databases disagree on (CONFIRMED without a reservation, REJECTED/FAILED with one)");
    }

    private static final Map<String, String> OUTCOME_NAMES = new LinkedHashMap<>();

    static {
        OUTCOME_NAMES.put("confirmed", "confirmed at once");
        OUTCOME_NAMES.put("rejected", "rejected at once (out of stock)");
        OUTCOME_NAMES.put("failed", "failed at once");
        OUTCOME_NAMES.put("pendingThenSettled", "PENDING, then settled (the client asked again)");
        OUTCOME_NAMES.put("pendingUnresolved", "PENDING, client stopped asking (settled in the database)");
        OUTCOME_NAMES.put("noAnswer", "never acknowledged (every try timed out or failed)");
    }

    private static final int SHOWN_FINDINGS = 5;

    private ReportPage() {}

    public static String render(
            RunInfo info,
            RunSummary summary,
            List<HealthSample> health,
            List<GremlinSummary.Row> gremlin,
            Map<String, Object> data,
            String uplotCss,
            String uplotJs) {
        Verdict verdict = summary.verdict();
        boolean pass = verdict.passed();
        StringBuilder h = new StringBuilder(200_000);
        Html.open(h, "Valerix chaos run " + info.runId() + ": " + verdict.name(), uplotCss, CSS);

        h.append("<header><div class=\"verdict ")
                .append(pass ? "pass" : "fail")
                .append("\">")
                .append(Html.escape(verdict.name()))
                .append("</div>")
                .append("<div><h1>Valerix chaos run</h1><p class=\"sub\">")
                .append(Html.escape(info.runId()))
                .append(" &middot; started ")
                .append(Html.escape(info.startedAt()))
                .append(" &middot; seed ")
                .append(info.seed())
                .append("</p></div></header>\n");

        h.append("<p class=\"lead\">")
                .append(String.format(Locale.ROOT, "%,d", verdict.intents()))
                .append(" orders meant, ")
                .append(String.format(Locale.ROOT, "%,d", verdict.requests()))
                .append(" requests sent (with duplicates, retries and follow-ups), ")
                .append(String.format(Locale.ROOT, "%,d", verdict.orders()))
                .append(" orders in the order database. Inventory gremlin during chaos: <code>")
                .append(Html.escape(info.gremlin()))
                .append("</code>.</p>\n");

        // Verdict table.
        h.append("<section><h2>Verdict: ")
                .append(pass ? "nothing lost, doubled or oversold" : "anomalies found")
                .append("</h2>\n")
                .append(
                        "<table class=\"verdict-table\"><tr><th>check</th><th class=\"n\">count</th><th>what it counts</th></tr>\n");
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("lost", verdict.lost());
        counts.put("duplicated", verdict.duplicated());
        counts.put("oversold", verdict.oversold());
        counts.put("unconserved", verdict.unconserved());
        counts.put("pending", verdict.pending());
        counts.put("disagreements", verdict.disagreements());
        counts.forEach((name, count) -> h.append("<tr class=\"")
                .append(count == 0 ? "ok" : "bad")
                .append("\"><td>")
                .append(name)
                .append("</td><td class=\"n\">")
                .append(count)
                .append("</td><td>")
                .append(Html.escape(MEANING.get(name)))
                .append("</td></tr>\n"));
        h.append("</table>\n");
        if (!verdict.findings().isEmpty()) {
            h.append(
                    "<h3>Findings</h3><p class=\"note\">The first few of each check; <code>summary.json</code> holds up to 20 of each,"
                            + " and the counts above are complete.</p><table><tr><th>check</th><th>subject</th><th>what is wrong</th></tr>\n");
            for (String category : MEANING.keySet()) {
                List<Finding> of = verdict.findings().stream()
                        .filter(f -> f.category().equals(category))
                        .toList();
                for (Finding f : of.subList(0, Math.min(SHOWN_FINDINGS, of.size()))) {
                    h.append("<tr><td>")
                            .append(Html.escape(f.category()))
                            .append("</td><td><code>")
                            .append(Html.escape(f.subject()))
                            .append("</code></td><td>")
                            .append(Html.escape(f.detail()))
                            .append("</td></tr>\n");
                }
                long more = counts.get(category) - Math.min(SHOWN_FINDINGS, of.size());
                if (more > 0) {
                    h.append("<tr><td>")
                            .append(Html.escape(category))
                            .append("</td><td colspan=\"2\" class=\"note\">and ")
                            .append(more)
                            .append(" more</td></tr>\n");
                }
            }
            h.append("</table>\n");
        }
        h.append("</section>\n");

        // Latency.
        h.append(
                "<section><h2>Latency</h2><p class=\"note\">Counted from when each request was meant to be sent (coordinated"
                        + " omission corrected). Milliseconds; the chaos phase is shaded orange, link faults blue, kills are red lines.</p>\n<table><tr><th>phase</th><th class=\"n\">requests</th>"
                        + "<th class=\"n\">p50</th><th class=\"n\">p90</th><th class=\"n\">p99</th><th class=\"n\">max</th></tr>\n");
        summary.latency()
                .forEach((phase, l) -> h.append("<tr><td>")
                        .append(Html.escape(phase))
                        .append("</td><td class=\"n\">")
                        .append(l.count())
                        .append("</td>")
                        .append(ms(l.p50()))
                        .append(ms(l.p90()))
                        .append(ms(l.p99()))
                        .append(ms(l.max()))
                        .append("</tr>\n"));
        h.append("</table>\n<div id=\"latency\" class=\"chart\"></div></section>\n");

        if (!info.kills().isEmpty()) {
            h.append(KillTable.html(info.kills()));
        }
        if (!info.links().isEmpty()) {
            h.append(LinkTable.html(info.links()));
        }

        // Throughput and outcomes.
        h.append(
                "<section><h2>Throughput and answers</h2><p class=\"note\">Requests sent per second, and answers per second by what"
                        + " they said.</p><div id=\"throughput\" class=\"chart\"></div>\n<h3>How the orders ended, as the client saw them</h3><table>"
                        + "<tr><th>outcome</th><th class=\"n\">orders</th></tr>\n");
        OUTCOME_NAMES.forEach((key, name) -> h.append("<tr><td>")
                .append(Html.escape(name))
                .append("</td><td class=\"n\">")
                .append(verdict.outcomes().getOrDefault(key, 0L))
                .append("</td></tr>\n"));
        h.append("</table>\n<table><tr><th>in the order database</th><th class=\"n\">orders</th></tr>\n");
        for (String s : List.of("Confirmed", "Rejected", "Failed", "Pending")) {
            h.append("<tr><td>")
                    .append(s.toUpperCase(Locale.ROOT))
                    .append("</td><td class=\"n\">")
                    .append(verdict.outcomes().getOrDefault("orders" + s, 0L))
                    .append("</td></tr>\n");
        }
        h.append("<tr><td>answers that were errors (timeouts, transport errors, 5xx)</td><td class=\"n\">")
                .append(verdict.outcomes().getOrDefault("errorAnswers", 0L))
                .append("</td></tr><tr><td>answers 409 (the same key still in" + " progress)</td><td class=\"n\">")
                .append(verdict.outcomes().getOrDefault("inProgressAnswers", 0L))
                .append("</td></tr>\n");
        h.append("</table></section>\n");

        // Lights.
        h.append(
                        "<section><h2>Health lights</h2><p class=\"note\">Each service's own light from <code>GET /health</code>, read once a"
                                + " second (GREEN while its p99 over the last window is under the threshold, RED above).</p>\n")
                .append(LightStrip.svg(health, info.phases()))
                .append("</section>\n");

        // Gremlin.
        h.append(
                "<section><h2>Gremlin decisions</h2>\n<table><tr><th>phase</th><th>spec</th><th class=\"n\">decisions</th>"
                        + "<th class=\"n\">delayed</th><th class=\"n\">errors</th><th class=\"n\">resets</th><th class=\"n\">no response</th></tr>\n");
        for (RunInfo.Phase p : info.phases()) {
            Map<String, Long> c = p.gremlinCounts();
            h.append("<tr><td>")
                    .append(Html.escape(p.name()))
                    .append("</td><td><code>")
                    .append(Html.escape(p.gremlin()))
                    .append("</code></td><td class=\"n\">")
                    .append(c.getOrDefault("decisions", 0L))
                    .append("</td><td class=\"n\">")
                    .append(c.getOrDefault("delay_before", 0L) + c.getOrDefault("delay_after", 0L))
                    .append("</td><td class=\"n\">")
                    .append(c.getOrDefault("error", 0L))
                    .append("</td><td class=\"n\">")
                    .append(c.getOrDefault("reset", 0L))
                    .append("</td><td class=\"n\">")
                    .append(c.getOrDefault("noresponse", 0L))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (gremlin != null) {
            h.append("<h3>By route (from <code>")
                    .append(RunFiles.GREMLIN)
                    .append("</code>)</h3><table><tr><th>phase</th><th>route</th>"
                            + "<th class=\"n\">decisions</th><th class=\"n\">delayed</th><th class=\"n\">delay p50</th><th class=\"n\">p99</th>"
                            + "<th class=\"n\">max</th><th>faults</th></tr>\n");
            for (GremlinSummary.Row r : gremlin) {
                PhaseLatency d = r.delay();
                h.append("<tr><td>")
                        .append(Html.escape(r.phase()))
                        .append("</td><td><code>")
                        .append(Html.escape(r.route()))
                        .append("</code></td><td class=\"n\">")
                        .append(r.decisions())
                        .append("</td><td class=\"n\">")
                        .append(r.delayed())
                        .append("</td>")
                        .append(
                                r.delayed() == 0
                                        ? "<td class=\"n\">-</td><td class=\"n\">-</td><td class=\"n\">-</td>"
                                        : ms(d.p50()) + ms(d.p99()) + ms(d.max()))
                        .append("<td>")
                        .append(
                                r.faults().isEmpty()
                                        ? "-"
                                        : Html.escape(r.faults().toString()))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        } else {
            h.append(
                    "<p class=\"note\">The gremlin ran outside this process (services at given URLs, or inventory in its own"
                            + " process), so its individual decisions are not here; the counts above come from <code>GET /admin/gremlin</code>.</p>\n");
        }
        h.append("</section>\n");

        // Reproduce and setup.
        h.append("<section><h2>Reproduce</h2><pre>")
                .append(Html.escape(info.command()))
                .append("</pre><p class=\"note\">")
                .append(Html.escape(info.reproducibility()))
                .append("</p>\n<table>")
                .append(row("order service", info.orderUrl() + (info.servicesStarted() ? " (started by the run)" : "")))
                .append(row(
                        "inventory service",
                        info.inventoryUrl() + (info.servicesStarted() ? " (started by the run)" : "")))
                .append(row(
                        "workload",
                        info.users() > 0
                                ? info.users() + " users one order after another (closed model)"
                                : String.format(Locale.ROOT, "%.1f new orders per second (open model)", info.rate())))
                .append(row(
                        "duplicates",
                        String.format(Locale.ROOT, "%.0f%% of orders submitted twice", info.duplicates() * 100)))
                .append(row(
                        "order timeout",
                        info.timeoutMs() > 0 ? info.timeoutMs() + " ms" : "as the order service is configured"))
                .append(row("sending", String.format(Locale.ROOT, "%.0f s", info.durationMs() / 1000.0)))
                .append(row("drain, settle", info.drainMs() + " ms, " + info.settleMs() + " ms"))
                .append(row("stock at start", info.stockBefore().toString()))
                .append(row("order-id prefix", info.runId()))
                .append("</table></section>\n");

        h.append(
                "<footer>Valerix chaos report. Data files beside this page: run.json, summary.json, client.jsonl, health.jsonl,"
                        + " gremlin.jsonl, orders.jsonl, reservations.jsonl, stock.json. Charts by uPlot (MIT).</footer>\n");
        h.append("<script type=\"application/json\" id=\"data\">")
                .append(json(data))
                .append("</script>\n");
        h.append("<script>")
                .append(uplotJs)
                .append("</script>\n<script>")
                .append(SCRIPT)
                .append("</script>\n");
        return Html.close(h).toString();
    }

    private static String row(String name, String value) {
        return "<tr><th>" + Html.escape(name) + "</th><td>" + Html.escape(value) + "</td></tr>";
    }

    private static String ms(double value) {
        return "<td class=\"n\">"
                + (value >= 100
                        ? String.format(Locale.ROOT, "%,.0f", value)
                        : String.format(Locale.ROOT, "%.1f", value))
                + "</td>";
    }

    /** JSON safe inside a script element: no "</" can close it early. */
    private static String json(Object value) {
        return RunFiles.toLine(value).replace("</", "<\\/");
    }

    private static final String CSS = """
      :root { --ok:#1f8a3b; --bad:#c62828; --ink:#1d232b; --mute:#5f6b7a; --line:#e3e7ec; --chaos:rgba(255,152,0,0.13); }
      body { color: var(--ink); max-width: 1120px; padding: 24px 28px 40px; background: #fff; }
      header { display: flex; align-items: center; gap: 20px; margin-bottom: 8px; }
      h1 { font-size: 26px; margin: 0; } h2 { font-size: 19px; margin: 0 0 8px; } h3 { font-size: 15px; margin: 18px 0 6px; }
      .sub { color: var(--mute); margin: 2px 0 0; }
      .verdict { font-size: 30px; font-weight: 700; color: #fff; padding: 10px 22px; border-radius: 8px; letter-spacing: 1px; }
      .verdict.pass { background: var(--ok); } .verdict.fail { background: var(--bad); }
      .lead { margin: 10px 0 18px; }
      section { border-top: 1px solid var(--line); padding: 16px 0 6px; }
      table { margin: 6px 0 10px; }
      th, td { padding: 4px 12px 4px 0; border-bottom: 1px solid var(--line); }
      th { color: var(--mute); font-weight: 600; }
      td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; padding-left: 14px; }
      .verdict-table tr.ok td:nth-child(2) { color: var(--ok); font-weight: 700; }
      .verdict-table tr.bad td { background: #fdecea; } .verdict-table tr.bad td:nth-child(2) { color: var(--bad); font-weight: 700; }
      code, pre { font-size: 13px; }
      pre { background: #f4f6f8; padding: 10px 12px; border-radius: 6px; white-space: pre-wrap; word-break: break-all; }
      .note { color: var(--mute); margin: 2px 0 8px; font-size: 14px; }
      .chart { margin: 8px 0 4px; min-height: 300px; }
      .legend-chaos { display: inline-block; width: 14px; height: 10px; background: var(--chaos); border: 1px solid #f0b860; }
      footer { color: var(--mute); font-size: 13px; border-top: 1px solid var(--line); padding-top: 12px; margin-top: 12px; }
      svg text { font: 12px -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--mute); }
      """;

    private static final String SCRIPT = """
      (function () {
        var data = JSON.parse(document.getElementById('data').textContent);
        var chaos = data.phases.filter(function (p) { return p.name === 'chaos'; })[0];
        function shade(u) {
          var ctx = u.ctx;
          if (chaos) {
            var x0 = u.valToPos(chaos.startMs / 1000, 'x', true), x1 = u.valToPos(chaos.endMs / 1000, 'x', true);
            ctx.save(); ctx.fillStyle = 'rgba(255,152,0,0.13)';
            ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
            ctx.fillStyle = '#b86e00'; ctx.font = (12 * devicePixelRatio) + 'px sans-serif';
            ctx.fillText('chaos', x0 + 6 * devicePixelRatio, u.bbox.top + 14 * devicePixelRatio); ctx.restore();
          }
          (data.kills || []).forEach(function (k, i) {
            var x = u.valToPos(k.killedMs / 1000, 'x', true);
            ctx.save(); ctx.strokeStyle = '#c62828'; ctx.lineWidth = 2 * devicePixelRatio;
            ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
            ctx.fillStyle = '#c62828'; ctx.font = (12 * devicePixelRatio) + 'px sans-serif';
            ctx.fillText('kill ' + k.instanceId, x + 4 * devicePixelRatio, u.bbox.top + (30 + 14 * (i % 3)) * devicePixelRatio);
            ctx.restore();
          });
          (data.links || []).forEach(function (l) {
            var end = l.endMs > l.startMs ? l.endMs : u.scales.x.max * 1000;
            var x0 = u.valToPos(l.startMs / 1000, 'x', true), x1 = u.valToPos(end / 1000, 'x', true);
            ctx.save(); ctx.fillStyle = 'rgba(43,123,186,0.16)';
            ctx.fillRect(x0, u.bbox.top, Math.max(x1 - x0, devicePixelRatio), u.bbox.height);
            ctx.fillStyle = '#1d5f94'; ctx.font = (12 * devicePixelRatio) + 'px sans-serif';
            ctx.fillText(l.fault, x0 + 4 * devicePixelRatio, u.bbox.top + u.bbox.height - 8 * devicePixelRatio);
            ctx.restore();
          });
        }
        function width(id) { return Math.max(600, document.getElementById(id).clientWidth); }
        function chart(id, series, columns, opts) {
          var cols = [data[opts.source].t].concat(columns.map(function (c) { return data[opts.source][c]; }));
          return new uPlot({
            width: width(id), height: 300,
            scales: { x: { time: false }, y: opts.y || {} },
            axes: [{ label: 'seconds since start' }, { label: opts.label, size: 70 }],
            hooks: { drawClear: [shade] },
            legend: { live: false },
            series: [{ label: 'seconds' }].concat(series)
          }, cols, document.getElementById(id));
        }
        chart('latency', [
          { label: 'p50', stroke: '#2b7bba', width: 1.5 },
          { label: 'p90', stroke: '#7b5ea7', width: 1.5 },
          { label: 'p99', stroke: '#d64545', width: 2 },
          { label: 'max', stroke: '#999', width: 1, dash: [4, 4] }
        ], ['p50', 'p90', 'p99', 'max'], { source: 'latency', label: 'ms (log scale)', y: { distr: 3, log: 10 } });
        chart('throughput', [
          { label: 'sent', stroke: '#444', width: 2 },
          { label: 'CONFIRMED', stroke: '#1f8a3b', width: 1.5 },
          { label: 'REJECTED', stroke: '#e0a100', width: 1.5 },
          { label: 'FAILED', stroke: '#8e24aa', width: 1.5 },
          { label: 'PENDING', stroke: '#2b7bba', width: 1.5 },
          { label: '409 in progress', stroke: '#90a4ae', width: 1 },
          { label: 'errors', stroke: '#c62828', width: 1.5 }
        ], ['sent', 'confirmed', 'rejected', 'failed', 'pending', 'inProgress', 'errors'], { source: 'throughput', label: 'per second' });
      })();
      """;
}
