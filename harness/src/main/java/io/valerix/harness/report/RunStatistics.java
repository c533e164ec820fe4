package io.valerix.harness.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Figures computed from a run's client log. Latencies go into HdrHistograms in microseconds with 3
 * significant digits, so a percentile is within 0.1% of the exact value. Stateless.
 */
public final class RunStatistics {

    /** The phases in order. */
    public static final List<String> PHASES = List.of("baseline", "chaos", "recovery");

    private static final long MAX_MICROS = 3_600_000_000L;

    private RunStatistics() {}

    /** Latency of every request by phase (the phase of its intended send time), in milliseconds. */
    public static Map<String, PhaseLatency> latencyByPhase(List<AttemptRecord> attempts) {
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        for (String phase : PHASES) {
            histograms.put(phase, histogram());
        }
        for (AttemptRecord a : attempts) {
            histograms.computeIfAbsent(a.phase(), p -> histogram()).recordValue(micros(a.latencyMs()));
        }
        Map<String, PhaseLatency> latency = new LinkedHashMap<>();
        histograms.forEach((phase, h) -> latency.put(phase, of(h)));
        return latency;
    }

    /** The percentiles of {@code h} (microseconds) in milliseconds. */
    public static PhaseLatency of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new PhaseLatency(0, 0, 0, 0, 0);
        }
        return new PhaseLatency(
                h.getTotalCount(),
                ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)),
                ms(h.getMaxValue()));
    }

    public static Histogram histogram() {
        return new Histogram(MAX_MICROS, 3);
    }

    public static long micros(double ms) {
        return Math.max(0, Math.min(MAX_MICROS, Math.round(ms * 1e3)));
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }
}
