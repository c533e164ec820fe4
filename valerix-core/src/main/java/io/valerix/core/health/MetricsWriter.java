package io.valerix.core.health;

import io.valerix.core.health.internal.PrometheusText;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Writes metric families in the Prometheus text exposition format 0.0.4; handed to each
 * {@link MetricsSource} by {@link PrometheusExposition#render()}.
 *
 * <p>Start a family with {@link #counter}, {@link #gauge} or {@link #histogram} (which writes its
 * {@code # HELP} and {@code # TYPE} lines), then add its samples; starting the next family closes
 * the previous one. Labels are given as name/value pairs, {@code "route", "/orders", "method",
 * "POST"}, written in that order; values are escaped, names checked.
 *
 * <p>Rules enforced so that the page always parses: metric and label names match
 * {@code [a-zA-Z_][a-zA-Z0-9_]*} (label names not starting with {@code __}); counter names end in
 * {@code _total}; a name is written once per page; samples go to the open family only.
 * Breaking one throws {@link IllegalArgumentException} (bad name, label or value) or
 * {@link IllegalStateException} (duplicate name, closed family); null throws
 * {@link NullPointerException}.
 *
 * <p>Not thread-safe: one writer renders one page on one thread.
 */
public final class MetricsWriter {

    private final StringBuilder out = new StringBuilder(4096);
    private final Set<String> names = new HashSet<>();
    private Object openFamily;

    MetricsWriter() {}

    /**
     * Starts a counter: a value that only goes up (and restarts at zero with the process).
     *
     * @param name ends in {@code _total}, e.g. {@code valerix_gremlin_injections_total}
     * @param help one line saying what is counted
     */
    public Family counter(String name, String help) {
        if (!Objects.requireNonNull(name, "name").endsWith("_total")) {
            throw new IllegalArgumentException("counter name must end in _total, but was '" + name + "'");
        }
        return new Family(start(name, help, "counter", List.of(name)), true);
    }

    /**
     * Starts a gauge: a value that goes up and down, like pending orders.
     *
     * @param help one line saying what is measured, with its unit
     */
    public Family gauge(String name, String help) {
        return new Family(start(name, help, "gauge", List.of(name)), false);
    }

    /**
     * Starts a histogram; its samples become {@code name_bucket}, {@code name_sum} and
     * {@code name_count} series. By convention {@code name} ends in the unit, like
     * {@code _seconds}.
     */
    public HistogramFamily histogram(String name, String help) {
        Objects.requireNonNull(name, "name");
        return new HistogramFamily(
                start(name, help, "histogram", List.of(name, name + "_bucket", name + "_sum", name + "_count")));
    }

    private String start(String name, String help, String type, List<String> seriesNames) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(help, "help");
        if (!PrometheusText.isMetricName(name)) {
            throw new IllegalArgumentException("metric name must match [a-zA-Z_][a-zA-Z0-9_]*, but was '" + name + "'");
        }
        if (help.isBlank()) {
            throw new IllegalArgumentException("help of " + name + " must not be blank");
        }
        for (String series : seriesNames) {
            if (names.contains(series)) {
                throw new IllegalStateException(
                        "metric " + series + " is already on this page;" + " each name is written once, by one source");
            }
        }
        names.addAll(seriesNames);
        out.append("# HELP ").append(name).append(' ');
        PrometheusText.appendHelp(out, help);
        out.append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return name;
    }

    private void checkOpen(Object family, String name) {
        if (openFamily != family) {
            throw new IllegalStateException(
                    "family " + name + " is closed: write all its samples before starting the next family");
        }
    }

    private void appendSeries(String series, String[] labels, String extraName, String extraValue, String value) {
        out.append(series);
        if (labels.length > 0 || extraName != null) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                PrometheusText.appendLabelValue(out, labels[i + 1]);
                out.append('"');
            }
            if (extraName != null) {
                if (labels.length > 0) {
                    out.append(',');
                }
                out.append(extraName).append("=\"").append(extraValue).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(value).append('\n');
    }

    private static void checkLabels(String family, String[] labels, String reserved) {
        Objects.requireNonNull(labels, "labels");
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "labels of " + family + " must be name/value pairs, but there were " + labels.length + " strings");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < labels.length; i += 2) {
            String name = Objects.requireNonNull(labels[i], "label name");
            Objects.requireNonNull(labels[i + 1], "value of label " + name);
            if (!PrometheusText.isLabelName(name) || name.equals(reserved)) {
                throw new IllegalArgumentException("label name of " + family
                        + " must match [a-zA-Z_][a-zA-Z0-9_]*, not start with __"
                        + (reserved == null ? "" : " and not be " + reserved) + ", but was '" + name + "'");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("label " + name + " of " + family + " is given twice");
            }
        }
    }

    String text() {
        return out.toString();
    }

    /** Where the page stands before a source writes; closes any open family. */
    Mark mark() {
        openFamily = null;
        return new Mark(out.length(), Set.copyOf(names));
    }

    /** Forgets everything written since {@code mark}, after a source failed half way. */
    void rollback(Mark mark) {
        out.setLength(mark.length());
        names.retainAll(mark.names());
        openFamily = null;
    }

    record Mark(int length, Set<String> names) {}

    /**
     * An open counter or gauge family. Not thread-safe, like its writer.
     */
    public final class Family {
        private final String name;
        private final boolean counter;

        private Family(String name, boolean counter) {
            this.name = name;
            this.counter = counter;
            openFamily = this;
        }

        /**
         * Adds one series.
         *
         * @param value the value; for a counter finite and not negative
         * @param labels label name/value pairs
         * @return this family, for the next sample
         */
        public Family sample(double value, String... labels) {
            checkOpen(this, name);
            checkLabels(name, labels, null);
            if (counter && !(value >= 0 && value < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException(
                        "counter " + name + " must be finite and not negative, but was " + value);
            }
            appendSeries(name, labels, null, null, PrometheusText.formatValue(value));
            return this;
        }
    }

    /**
     * An open histogram family. Not thread-safe, like its writer.
     */
    public final class HistogramFamily {
        private final String name;

        private HistogramFamily(String name) {
            this.name = name;
            openFamily = this;
        }

        /**
         * Adds one histogram series: a {@code _bucket} line per bound and {@code +Inf}, then
         * {@code _sum} and {@code _count}.
         *
         * @param upperBounds finite bucket bounds in increasing order, without {@code +Inf}
         * @param cumulativeCounts for each bound the count of observations at or under it, then the
         *     count of all observations ({@code +Inf}); never decreasing
         * @param sum the sum of all observations
         * @param labels label name/value pairs; {@code le} is reserved
         * @return this family, for the next sample
         */
        public HistogramFamily sample(List<Double> upperBounds, long[] cumulativeCounts, double sum, String... labels) {
            checkOpen(this, name);
            checkLabels(name, labels, "le");
            Objects.requireNonNull(upperBounds, "upperBounds");
            Objects.requireNonNull(cumulativeCounts, "cumulativeCounts");
            if (cumulativeCounts.length != upperBounds.size() + 1) {
                throw new IllegalArgumentException("histogram " + name + " needs one count per bound plus" + " +Inf, "
                        + (upperBounds.size() + 1) + ", but got " + cumulativeCounts.length);
            }
            double previousBound = Double.NEGATIVE_INFINITY;
            for (double bound : upperBounds) {
                if (!(bound > previousBound) || Double.isInfinite(bound)) {
                    throw new IllegalArgumentException(
                            "bounds of histogram " + name + " must be finite and increasing, but were " + upperBounds);
                }
                previousBound = bound;
            }
            long previousCount = 0;
            for (long count : cumulativeCounts) {
                if (count < previousCount) {
                    throw new IllegalArgumentException("counts of histogram " + name
                            + " must be cumulative (never decreasing, not negative), but were "
                            + Arrays.toString(cumulativeCounts));
                }
                previousCount = count;
            }
            if (Double.isNaN(sum)) {
                throw new IllegalArgumentException("sum of histogram " + name + " must be a number");
            }
            String bucket = name + "_bucket";
            for (int i = 0; i < upperBounds.size(); i++) {
                appendSeries(
                        bucket,
                        labels,
                        "le",
                        PrometheusText.formatBound(upperBounds.get(i)),
                        Long.toString(cumulativeCounts[i]));
            }
            long count = cumulativeCounts[cumulativeCounts.length - 1];
            appendSeries(bucket, labels, "le", "+Inf", Long.toString(count));
            appendSeries(name + "_sum", labels, null, null, PrometheusText.formatValue(sum));
            appendSeries(name + "_count", labels, null, null, Long.toString(count));
            return this;
        }
    }
}
