package io.valerix.harness.report.internal;

import io.valerix.harness.report.AttemptRecord;
import io.valerix.harness.report.RunStatistics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Per-second series from the client log, as column arrays ready for uPlot: latency percentiles by
 * intended send second, requests sent per second, and answers per second by outcome.
 */
public final class TimeSeries {

    private TimeSeries() {}

    /** {@code {"t":[…], "p50":[…], "p90":[…], "p99":[…], "max":[…]}}; null where a second had no request. */
    public static Map<String, List<Double>> latency(List<AttemptRecord> attempts) {
        int seconds = seconds(attempts);
        List<Histogram> perSecond = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            perSecond.add(RunStatistics.histogram());
        }
        for (AttemptRecord a : attempts) {
            int s = (int) Math.floor(Math.max(0, a.intendedMs()) / 1000);
            if (s < seconds) {
                perSecond.get(s).recordValue(RunStatistics.micros(a.latencyMs()));
            }
        }
        Map<String, List<Double>> series = columns("t", "p50", "p90", "p99", "max");
        for (int s = 0; s < seconds; s++) {
            Histogram h = perSecond.get(s);
            series.get("t").add((double) s);
            boolean empty = h.getTotalCount() == 0;
            series.get("p50").add(empty ? null : h.getValueAtPercentile(50) / 1000.0);
            series.get("p90").add(empty ? null : h.getValueAtPercentile(90) / 1000.0);
            series.get("p99").add(empty ? null : h.getValueAtPercentile(99) / 1000.0);
            series.get("max").add(empty ? null : h.getMaxValue() / 1000.0);
        }
        return series;
    }

    /**
     * {@code {"t", "sent", "confirmed", "rejected", "failed", "pending", "inProgress", "errors"}}:
     * requests sent per second (by send time) and answers per second (by answer time) by what they said.
     */
    public static Map<String, List<Double>> throughput(List<AttemptRecord> attempts) {
        int seconds = seconds(attempts);
        Map<String, List<Double>> series =
                columns("t", "sent", "confirmed", "rejected", "failed", "pending", "inProgress", "errors");
        for (List<Double> column : series.values()) {
            for (int s = 0; s < seconds; s++) {
                column.add(0.0);
            }
        }
        for (int s = 0; s < seconds; s++) {
            series.get("t").set(s, (double) s);
        }
        for (AttemptRecord a : attempts) {
            bump(series.get("sent"), a.sentMs(), seconds);
            String column;
            if (a.acknowledged()) {
                column = switch (a.orderStatus()) {
                    case "CONFIRMED" -> "confirmed";
                    case "REJECTED" -> "rejected";
                    case "FAILED" -> "failed";
                    default -> "pending";
                };
            } else {
                column = a.status() == 409 ? "inProgress" : "errors";
            }
            bump(series.get(column), a.endMs(), seconds);
        }
        return series;
    }

    private static void bump(List<Double> column, double ms, int seconds) {
        int s = (int) Math.floor(Math.max(0, ms) / 1000);
        if (s < seconds) {
            column.set(s, column.get(s) + 1);
        }
    }

    private static int seconds(List<AttemptRecord> attempts) {
        double last = 0;
        for (AttemptRecord a : attempts) {
            last = Math.max(last, Math.max(a.endMs(), a.intendedMs()));
        }
        return (int) Math.ceil(last / 1000) + 1;
    }

    private static Map<String, List<Double>> columns(String... names) {
        Map<String, List<Double>> columns = new LinkedHashMap<>();
        for (String name : names) {
            columns.put(name, new ArrayList<>());
        }
        return columns;
    }
}
