package io.valerix.bench.report;

import java.util.List;

/**
 * What the report says, independent of how it is rendered: the HTML page and {@code BENCHMARKS.md}
 * are two renderings of the same sections, so they cannot disagree.
 */
final class ReportModel {

    private ReportModel() {}

    /** Whether a figure meets its goal. */
    enum Verdict {
        MET("met"),
        MISSED("MISSED"),
        NOT_MEASURED("not measured");

        final String label;

        Verdict(String label) {
            this.label = label;
        }

        static Verdict of(boolean met) {
            return met ? MET : MISSED;
        }
    }

    /** A goal from the issue and what was measured against it. */
    record Goal(String what, String target, String measured, Verdict verdict) {}

    /** A bar of a chart; {@code ours} bars are drawn in Valerix's colour. */
    record Bar(String label, double value, boolean ours) {}

    /** A horizontal bar chart of one unit. */
    record Chart(String unit, List<Bar> bars) {}

    /** A table row; {@code ours} rows are highlighted. */
    record Row(List<String> cells, boolean ours) {
        static Row of(boolean ours, String... cells) {
            return new Row(List.of(cells), ours);
        }
    }

    /** A table, with an optional note under it and an optional chart beside it. */
    record Table(String title, List<String> headers, List<Row> rows, String note, Chart chart) {}

    /** A section: a heading, a paragraph saying what was measured and how, its tables. */
    record Section(String title, String text, List<Table> tables) {}

    /** Where and when the figures were taken. */
    record Environment(
            String date,
            String commit,
            String profile,
            String jdk,
            String os,
            String cpu,
            int cores,
            String memory,
            String loadBefore,
            String loadAfter,
            String command) {}

    /** The whole report. */
    record Report(Environment environment, List<Goal> goals, List<Section> sections, String caveat) {}
}
