package io.valerix.harness.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A plain server-sent-events reader, as a browser's EventSource would parse the stream. */
final class EventStreamClient implements AutoCloseable {

    /** One event; {@code receivedNanos} is when its blank line arrived. */
    record Event(String name, String id, String data, long receivedNanos) {
        JsonNode json() {
            try {
                return MAPPER.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The stream ended (EOF). */
    static final Event END = new Event("(end)", null, null, 0);

    static final ObjectMapper MAPPER = new ObjectMapper();

    final HttpResponse<InputStream> response;
    final List<String> retryLines = new ArrayList<>();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpClient client;
    private final Thread reader;

    /** A stream opened with the test dashboard's admin token, as the page sends it. */
    EventStreamClient(URI uri) throws IOException, InterruptedException {
        this(uri, "Bearer " + RunningDashboard.TOKEN);
    }

    /** A stream opened with {@code authorization} as the {@code Authorization} header, or none if null. */
    EventStreamClient(URI uri, String authorization) throws IOException, InterruptedException {
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream")
                .GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        reader = Thread.ofVirtual().name("sse-test-reader").start(this::read);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = "message";
            String id = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(name, id, data.toString(), System.nanoTime()));
                    }
                    name = "message";
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("retry:")) {
                    synchronized (retryLines) {
                        retryLines.add(line);
                    }
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n")
                            .append(line.substring(5).strip());
                }
            }
        } catch (IOException e) {
            // closed by the test, or the server went away: either way the stream is over
        } finally {
            events.add(END);
        }
    }

    /** The next event within {@code wait}, {@link #END} once the stream ended, or null on time-out. */
    Event next(Duration wait) throws InterruptedException {
        return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next event named {@code name}, skipping others; fails the test if none comes in time. */
    Event next(String name, Duration wait) throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            Event e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (e == null) {
                throw new AssertionError("no '" + name + "' event within " + wait);
            }
            if (e == END) {
                throw new AssertionError("the stream ended while waiting for a '" + name + "' event");
            }
            if (e.name().equals(name)) {
                return e;
            }
        }
    }

    @Override
    public void close() throws IOException {
        response.body().close();
        client.shutdownNow();
        try {
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
