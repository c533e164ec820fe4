package io.valerix.harness.chaos.internal;

import io.valerix.harness.report.HealthSample;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * What a person watching the terminal sees while a run sends: a line per phase, and on a terminal
 * a status line redrawn every second (elapsed, requests sent, orders, p99, each service's light).
 * Off a terminal only the phase lines are printed, so logs and CI output stay short. Not
 * thread-safe: one thread drives it.
 */
public final class ProgressLine {

    private static final String RESET = "\u001b[0m";
    private static final String GREEN = "\u001b[32m";
    private static final String RED = "\u001b[31m";
    private static final String DIM = "\u001b[2m";

    private final PrintWriter out;
    private final boolean terminal;
    private int drawn;

    public ProgressLine(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    public void phase(String name, String gremlin, double seconds) {
        clear();
        out.printf(Locale.ROOT, "%-9s %4.0f s   inventory gremlin: %s%n", name, seconds, gremlin);
        out.flush();
    }

    public void tick(
            String phase,
            double elapsed,
            double total,
            long sent,
            long orders,
            double p99Ms,
            HealthSample order,
            HealthSample inventory) {
        if (!terminal) {
            return;
        }
        String line = String.format(
                Locale.ROOT,
                "  %-8s %3.0f/%.0f s   sent %6d (%d orders, %5.1f/s)   p99 %s   order %s   inventory %s",
                phase,
                elapsed,
                total,
                sent,
                orders,
                elapsed > 0 ? orders / elapsed : 0.0,
                p99Ms < 0 ? "   -   " : String.format(Locale.ROOT, "%5.0f ms", p99Ms),
                light(order),
                light(inventory));
        clear();
        out.print(line);
        out.flush();
        drawn = visibleLength(line);
    }

    public void done() {
        clear();
        out.flush();
    }

    private void clear() {
        if (terminal && drawn > 0) {
            out.print("\r" + " ".repeat(drawn) + "\r");
            drawn = 0;
        }
    }

    private static String light(HealthSample sample) {
        if (sample == null) {
            return DIM + "…" + RESET;
        }
        return switch (sample.light()) {
            case "GREEN" -> GREEN + "GREEN" + RESET;
            case "RED" -> RED + "RED" + RESET;
            default -> DIM + sample.light() + RESET;
        };
    }

    private static int visibleLength(String line) {
        return line.replaceAll("\u001b\\[[0-9;]*m", "").length();
    }
}
