package io.valerix.harness.report.internal;

import io.valerix.harness.html.Html;
import io.valerix.harness.report.HealthSample;
import io.valerix.harness.report.RunInfo;
import java.util.List;
import java.util.Locale;

/**
 * The lights over time as an inline SVG: one strip per service (and inventory as the order service
 * sees it), one cell per reading, the chaos phase outlined. Plain SVG, so it shows with scripts off.
 */
final class LightStrip {

    private static final int LABEL = 250;
    private static final int PLOT = 820;
    private static final int ROW = 26;
    private static final int GAP = 8;

    private LightStrip() {}

    static String svg(List<HealthSample> samples, List<RunInfo.Phase> phases) {
        if (samples.isEmpty()) {
            return "<p class=\"note\">No health readings were saved for this run.</p>";
        }
        double end = 1000;
        for (HealthSample s : samples) {
            end = Math.max(end, s.tMs() + 1000);
        }
        for (RunInfo.Phase p : phases) {
            end = Math.max(end, p.endMs());
        }
        double seconds = Math.ceil(end / 1000);
        List<String[]> rows = List.of(
                new String[] {"order service", "order", null},
                new String[] {"inventory service", "inventory", null},
                new String[] {"inventory, as the order service sees it", "order", "inventory"});
        int height = rows.size() * (ROW + GAP) + 40;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" aria-label=\"health lights over time\">",
                LABEL + PLOT + 10,
                height));
        for (RunInfo.Phase p : phases) {
            if (p.name().equals("chaos")) {
                double x0 = LABEL + p.startMs() / 1000 / seconds * PLOT;
                double x1 = LABEL + p.endMs() / 1000 / seconds * PLOT;
                svg.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%d\" fill=\"rgba(255,152,0,0.13)\"/>",
                        x0,
                        x1 - x0,
                        rows.size() * (ROW + GAP)));
                svg.append(String.format(
                        Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%d\" style=\"fill:#b86e00\">chaos</text>",
                        x0 + 4,
                        height - 4));
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            int y = r * (ROW + GAP) + 4;
            svg.append(String.format(
                    Locale.ROOT, "<text x=\"0\" y=\"%d\">%s</text>", y + ROW / 2 + 4, Html.escape(row[0])));
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f1f3f5\"/>",
                    LABEL,
                    y,
                    PLOT,
                    ROW));
            for (HealthSample s : samples) {
                if (!s.service().equals(row[1])) {
                    continue;
                }
                String light =
                        row[2] == null ? s.light() : s.dependencies().getOrDefault(row[2], HealthSample.NO_ANSWER);
                double x = LABEL + s.tMs() / 1000 / seconds * PLOT;
                double w = PLOT / seconds;
                svg.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\"><title>%.0f s: %s%s</title></rect>",
                        x,
                        y,
                        w + 0.3,
                        ROW,
                        color(light),
                        s.tMs() / 1000,
                        light,
                        s.p99Ms() == null || row[2] != null
                                ? ""
                                : String.format(Locale.ROOT, ", p99 %.0f ms", s.p99Ms())));
            }
        }
        for (RunInfo.Phase p : phases) {
            if (p.name().equals("chaos")) {
                // Drawn over the strips too, so the phase shows where the lights are.
                for (double ms : new double[] {p.startMs(), p.endMs()}) {
                    double x = LABEL + ms / 1000 / seconds * PLOT;
                    svg.append(String.format(
                            Locale.ROOT,
                            "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%d\" stroke=\"#b86e00\" stroke-width=\"2\" stroke-dasharray=\"5,3\"/>",
                            x,
                            x,
                            rows.size() * (ROW + GAP)));
                }
            }
        }
        int axisY = rows.size() * (ROW + GAP) + 14;
        int step = seconds <= 30 ? 5 : seconds <= 120 ? 10 : seconds <= 600 ? 60 : 300;
        for (int t = 0; t <= seconds; t += step) {
            double x = LABEL + t / seconds * PLOT;
            svg.append(String.format(
                    Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%ds</text>", x, axisY, t));
        }
        svg.append("</svg>\n<p class=\"note\">");
        for (String[] legend : List.of(
                new String[] {"GREEN", "green"},
                new String[] {"RED", "red"},
                new String[] {"IDLE", "idle (no traffic)"},
                new String[] {HealthSample.NO_ANSWER, "no answer"})) {
            svg.append("<svg width=\"14\" height=\"10\"><rect width=\"14\" height=\"10\" fill=\"")
                    .append(color(legend[0]))
                    .append("\"/></svg> ")
                    .append(legend[1])
                    .append(" &nbsp; ");
        }
        svg.append("<span class=\"legend-chaos\"></span> chaos phase</p>\n");
        return svg.toString();
    }

    private static String color(String light) {
        return switch (light) {
            case "GREEN" -> "#2e9d48";
            case "RED" -> "#d64545";
            case "IDLE" -> "#c5ccd3";
            default -> "#4a4f55";
        };
    }
}
