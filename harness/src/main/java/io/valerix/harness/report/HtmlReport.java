package io.valerix.harness.report;

import io.valerix.core.gremlin.DecisionLog;
import io.valerix.core.gremlin.GremlinDecision;
import io.valerix.harness.report.internal.GremlinSummary;
import io.valerix.harness.report.internal.ReportPage;
import io.valerix.harness.report.internal.TimeSeries;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a run directory into {@value RunFiles#REPORT}: one self-contained HTML file (uPlot and
 * every figure inlined, no network needed) with the verdict, latency over time with the chaos phase
 * shaded and each {@code kill -9} marked, throughput, outcomes, each kill's time to recover, both
 * services' lights over time, the gremlin's decisions and the command that repeats the run.
 *
 * <p>Reads only the run directory's files, so a saved run can be rendered again at any time
 * ({@code valerix report RUN_DIR}). Stateless and thread-safe.
 */
public final class HtmlReport {

    private HtmlReport() {}

    /**
     * Renders {@code runDir}'s report and writes it there.
     *
     * @return the report's path
     * @throws UncheckedIOException if a needed file ({@value RunFiles#RUN}, {@value RunFiles#SUMMARY})
     *     is missing or unreadable
     */
    public static Path renderRunDirectory(Path runDir) {
        Path run = runDir.resolve(RunFiles.RUN);
        Path summaryFile = runDir.resolve(RunFiles.SUMMARY);
        if (!Files.isRegularFile(run) || !Files.isRegularFile(summaryFile)) {
            throw new UncheckedIOException(new IOException(
                    runDir + " is not a chaos run directory: it needs " + RunFiles.RUN + " and " + RunFiles.SUMMARY));
        }
        RunInfo info = RunFiles.read(run, RunInfo.class);
        RunSummary summary = RunFiles.read(summaryFile, RunSummary.class);
        List<AttemptRecord> attempts = RunFiles.readLines(runDir.resolve(RunFiles.CLIENT), AttemptRecord.class);
        List<HealthSample> health = RunFiles.readLines(runDir.resolve(RunFiles.HEALTH), HealthSample.class);
        List<GremlinDecision> decisions = readDecisions(runDir.resolve(RunFiles.GREMLIN));

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("latency", TimeSeries.latency(attempts));
        data.put("throughput", TimeSeries.throughput(attempts));
        data.put("phases", info.phases());
        data.put("kills", info.kills());
        data.put("links", info.links());
        String html = ReportPage.render(
                info,
                summary,
                health,
                decisions == null ? null : GremlinSummary.of(decisions, info.phases()),
                data,
                vendor("uPlot.min.css"),
                vendor("uPlot.iife.min.js"));
        Path report = runDir.resolve(RunFiles.REPORT);
        try {
            Files.writeString(report, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + report + " failed", e);
        }
        return report;
    }

    /** The decision log, or null if the run has none (services at given URLs). */
    private static List<GremlinDecision> readDecisions(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return DecisionLog.read(in);
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(
                    "reading the gremlin's decision log " + file + " failed: " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    private static String vendor(String name) {
        String resource = "/io/valerix/harness/web/vendor/uplot/" + name;
        try (var in = HtmlReport.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the vendored " + resource + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
