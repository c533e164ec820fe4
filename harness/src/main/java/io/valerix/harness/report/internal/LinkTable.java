package io.valerix.harness.report.internal;

import io.valerix.harness.html.Html;
import io.valerix.harness.report.LinkWindowEvent;
import java.util.List;
import java.util.Locale;

/** The report's section on the link's faults: what the proxy between the services played, and when. Stateless. */
final class LinkTable {

    private LinkTable() {}

    static String html(List<LinkWindowEvent> links) {
        StringBuilder h = new StringBuilder();
        h.append(
                        "<section id=\"links\"><h2>Faults of the link</h2><p class=\"note\">What the TCP proxy between the order service and"
                                + " inventory played (<code>--link</code>); shaded blue on the charts. Seconds since the run started.</p>\n")
                .append("<table><tr><th>fault</th><th class=\"n\">from s</th><th class=\"n\">to s</th>"
                        + "<th class=\"n\">connections reset or cut</th></tr>\n");
        for (LinkWindowEvent link : links) {
            h.append("<tr><td>")
                    .append(Html.escape(link.fault()))
                    .append("</td><td class=\"n\">")
                    .append(String.format(Locale.ROOT, "%.1f", link.startMs() / 1000))
                    .append("</td><td class=\"n\">")
                    .append(
                            link.endMs() > link.startMs()
                                    ? String.format(Locale.ROOT, "%.1f", link.endMs() / 1000)
                                    : "end of run")
                    .append("</td><td class=\"n\">")
                    .append(link.connectionsHit())
                    .append("</td></tr>\n");
        }
        return h.append("</table></section>\n").toString();
    }
}
