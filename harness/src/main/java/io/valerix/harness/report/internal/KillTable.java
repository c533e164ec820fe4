package io.valerix.harness.report.internal;

import io.valerix.harness.html.Html;
import io.valerix.harness.report.KillEvent;
import java.util.List;
import java.util.Locale;

/** The report's section on kills: when each service was killed and how long it took to recover. Stateless. */
final class KillTable {

    private KillTable() {}

    static String html(List<KillEvent> kills) {
        StringBuilder h = new StringBuilder();
        h.append(
                        "<section id=\"kills\"><h2>Kills and recovery</h2><p class=\"note\">Each service killed with <code>kill -9</code> and"
                                + " started again on the same data and port. Times after the kill, in ms. <b>Time to recover</b>: from the kill to the later"
                                + " of the first new order through that service settled at once (CONFIRMED or REJECTED) and the first acknowledged replay"
                                + " of a key that was in flight through it at the kill; &ldquo;not within the run&rdquo; if either never came.</p>\n")
                .append(
                        "<table><tr><th>killed</th><th class=\"n\">at s</th><th class=\"n\">serving again</th><th class=\"n\">first order</th>"
                                + "<th class=\"n\">keys in flight</th><th class=\"n\">first replay</th><th class=\"n\">all replays</th>"
                                + "<th class=\"n\">time to recover</th></tr>\n");
        for (KillEvent k : kills) {
            h.append("<tr class=\"")
                    .append(k.recoverMs() == null ? "bad" : "ok")
                    .append("\"><td>")
                    .append(Html.escape(k.instanceId()))
                    .append("</td><td class=\"n\">")
                    .append(String.format(Locale.ROOT, "%.1f", k.killedMs() / 1000))
                    .append("</td>")
                    .append(after(k.servingMs(), k))
                    .append(after(k.firstOrderMs(), k))
                    .append("<td class=\"n\">")
                    .append(k.keysInFlight())
                    .append("</td>")
                    .append(after(k.firstReplayMs(), k))
                    .append(after(k.lastReplayMs(), k))
                    .append("<td class=\"n\"><b>")
                    .append(
                            k.recoverMs() == null
                                    ? "not within the run"
                                    : String.format(Locale.ROOT, "%,.0f", k.recoverMs()))
                    .append("</b></td></tr>\n");
        }
        return h.append("</table></section>\n").toString();
    }

    private static String after(Double ms, KillEvent k) {
        return "<td class=\"n\">" + (ms == null ? "-" : String.format(Locale.ROOT, "%,.0f", ms - k.killedMs()))
                + "</td>";
    }
}
