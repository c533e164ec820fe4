package io.valerix.core.gremlin;

import io.valerix.core.gremlin.internal.DecisionJson;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gremlin's decisions saved as JSON lines, one decision per line, so a chaos run can be
 * explained afterwards and replayed exactly ({@link Gremlin.Builder#replay}).
 *
 * <p>A line looks like {@code {"request":7,"method":"PUT","path":"/reservations/o-1",
 * "before":"0ms","after":"1200ms","fault":{"type":"reset"},"faultPhase":"after","rules":[0,2]}};
 * {@code fault} and {@code faultPhase} are absent when there is no fault. Concurrent requests
 * may be written slightly out of request order; {@link #read} sorts them.
 *
 * <p>An instance, from {@link #writingTo}, is a {@link DecisionListener} that appends to a
 * {@link Writer}; it is thread-safe (one line at a time). It owns the writer and closes it. If a
 * write fails, the failure is logged at ERROR once, later decisions are not written, and {@link
 * #flush()} and {@link #close()} throw, so a broken log is never mistaken for a complete one.
 */
public final class DecisionLog implements DecisionListener, Flushable, Closeable {

    private static final Logger log = LoggerFactory.getLogger(DecisionLog.class);

    private final Writer out;
    private IOException failure; // guarded by this
    private long lost; // guarded by this

    private DecisionLog(Writer out) {
        this.out = out;
    }

    /** A log that writes each decision to {@code out} as one line; it owns {@code out} now. */
    public static DecisionLog writingTo(Writer out) {
        return new DecisionLog(Objects.requireNonNull(out, "out"));
    }

    /**
     * Reads a saved log, skipping blank lines.
     *
     * @return the decisions sorted by request number
     * @throws IllegalArgumentException naming the line number if a line is not a valid decision,
     *     or two lines have the same request number
     * @throws IOException if reading fails
     */
    public static List<GremlinDecision> read(Reader in) throws IOException {
        BufferedReader lines = in instanceof BufferedReader b ? b : new BufferedReader(in);
        List<GremlinDecision> decisions = new ArrayList<>();
        Map<Long, Integer> lineOfRequest = new HashMap<>();
        int number = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            GremlinDecision decision;
            try {
                decision = fromJsonLine(line);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad decision log line " + number + ": " + e.getMessage(), e);
            }
            Integer earlier = lineOfRequest.putIfAbsent(decision.request(), number);
            if (earlier != null) {
                throw new IllegalArgumentException("decision log has request " + decision.request()
                        + " twice, on lines " + earlier + " and " + number);
            }
            decisions.add(decision);
        }
        decisions.sort(Comparator.comparingLong(GremlinDecision::request));
        return List.copyOf(decisions);
    }

    /** One decision as one line of JSON, without the line break. */
    public static String toJsonLine(GremlinDecision decision) {
        return DecisionJson.write(Objects.requireNonNull(decision, "decision"));
    }

    /**
     * Parses one line written by {@link #toJsonLine}.
     *
     * @throws GremlinSpecException naming the problem and its JSON path
     */
    public static GremlinDecision fromJsonLine(String line) {
        return DecisionJson.read(Objects.requireNonNull(line, "line"));
    }

    @Override
    public void onDecision(GremlinDecision decision) {
        String line = toJsonLine(decision);
        synchronized (this) {
            if (failure != null) {
                lost++;
                return;
            }
            try {
                out.write(line);
                out.write('\n');
            } catch (IOException e) {
                failure = e;
                lost++;
                log.error(
                        "gremlin decision log failed at request {}; later decisions are not saved",
                        decision.request(),
                        e);
            }
        }
    }

    /**
     * Flushes the writer.
     *
     * @throws IOException if flushing fails, or an earlier write failed
     */
    @Override
    public synchronized void flush() throws IOException {
        throwIfFailed();
        out.flush();
    }

    /**
     * Flushes and closes the writer.
     *
     * @throws IOException if that fails, or an earlier write failed
     */
    @Override
    public synchronized void close() throws IOException {
        IOException closing = null;
        try {
            out.close();
        } catch (IOException e) {
            closing = e;
        }
        if (failure != null) {
            IOException incomplete = incomplete();
            if (closing != null) {
                incomplete.addSuppressed(closing);
            }
            throw incomplete;
        }
        if (closing != null) {
            throw closing;
        }
    }

    private void throwIfFailed() throws IOException {
        if (failure != null) {
            throw incomplete();
        }
    }

    private IOException incomplete() {
        return new IOException("gremlin decision log is incomplete: " + lost + " decision(s) not written", failure);
    }
}
