package io.valerix.harness.dashboard.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one subscriber's server-sent events until the client goes away or the sampler closes:
 *
 * <pre>
 * retry: 2000
 *
 * event: history
 * data: {"intervalMs":1000,"historyMs":300000,"t":[…],"scopes":{"order":{"p50Ms":[…],…,"thresholdMs":1000},…}}
 *
 * id: 42
 * event: sample
 * data: {"seq":42,"atMs":…,"scopes":[…],"orders":{…},"stock":[…],"gremlin":{…},"problems":[]}
 * </pre>
 *
 * <p>Each event is written whole and flushed at once; the JDK server sends it as one chunk. When
 * no sample comes for a while a comment line is sent, so a vanished client is noticed.
 */
public final class EventStream {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);

    /** How long the browser waits before reconnecting after the stream broke. */
    public static final Duration RETRY = Duration.ofSeconds(2);

    private final Sampler.Subscription subscription;
    private final ObjectMapper mapper;
    private final Duration interval;
    private final int historySize;

    public EventStream(Sampler.Subscription subscription, ObjectMapper mapper, Duration interval, int historySize) {
        this.subscription = subscription;
        this.mapper = mapper;
        this.interval = interval;
        this.historySize = historySize;
    }

    /** Writes events to {@code out} until the sampler closes or the client is gone. */
    public void writeTo(OutputStream out) throws IOException {
        try (Sampler.Subscription s = subscription) {
            write(out, "retry: " + RETRY.toMillis() + "\n\n");
            write(out, event("history", null, history(s.history())));
            if (s.first() != null) {
                write(out, event("sample", s.first().seq(), s.first()));
            }
            Duration heartbeat = interval.multipliedBy(3);
            while (true) {
                Sampler.Next next = s.next(heartbeat);
                if (next.ended()) {
                    return;
                }
                write(
                        out,
                        next.timedOut()
                                ? ": waiting for the next sample\n\n"
                                : event("sample", next.sample().seq(), next.sample()));
            }
        } catch (InterruptedException e) {
            // The server is stopping: end the stream; the browser reconnects to whatever comes next.
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client went away (tab closed, reload): the normal end of a stream.
            log.debug("dashboard event stream ended: {}", e.toString());
        }
    }

    private String event(String name, Long id, Object data) throws IOException {
        // Jackson writes JSON on one line, so one data: line carries the whole value.
        String json = mapper.writeValueAsString(data);
        return (id == null ? "" : "id: " + id + "\n") + "event: " + name + "\ndata: " + json + "\n\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Columns per scope, ready for the charts: {@code t} in epoch seconds, one value per column. */
    private Map<String, Object> history(List<Sampler.Point> points) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("intervalMs", interval.toMillis());
        body.put("historyMs", interval.toMillis() * historySize);
        List<Double> t = new ArrayList<>(points.size());
        Map<String, Map<String, Object>> scopes = new LinkedHashMap<>();
        for (Sampler.Point point : points) {
            t.add(point.atMs() / 1000.0);
            point.scopes().forEach((id, scope) -> {
                Map<String, Object> columns = scopes.computeIfAbsent(id, k -> {
                    Map<String, Object> c = new LinkedHashMap<>();
                    for (String name : List.of("p50Ms", "p99Ms", "ratePerSecond", "errorRate", "light")) {
                        c.put(name, new ArrayList<>());
                    }
                    return c;
                });
                columns.put("thresholdMs", scope.thresholdMs());
                column(columns, "p50Ms").add(scope.p50Ms());
                column(columns, "p99Ms").add(scope.p99Ms());
                column(columns, "ratePerSecond").add(scope.ratePerSecond());
                column(columns, "errorRate").add(scope.errorRate());
                column(columns, "light").add(scope.light());
            });
        }
        body.put("t", t);
        body.put("scopes", scopes);
        return body;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> column(Map<String, Object> columns, String name) {
        return (List<Object>) columns.get(name);
    }
}
