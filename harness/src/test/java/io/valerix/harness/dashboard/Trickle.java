package io.valerix.harness.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady trickle of GET requests, so a light has something to judge. Asynchronous, so slow
 * answers do not slow the rate; bounded in count, and stops by itself.
 */
final class Trickle implements AutoCloseable {

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "trickle");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger sent = new AtomicInteger();

    private Trickle(URI uri, Duration every, int maxRequests) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        timer.scheduleAtFixedRate(
                () -> {
                    if (sent.incrementAndGet() > maxRequests) {
                        timer.shutdown();
                        return;
                    }
                    client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
                },
                0,
                every.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Sends GET {@code uri} every {@code every}, at most {@code maxRequests} times. */
    static Trickle of(URI uri, Duration every, int maxRequests) {
        return new Trickle(uri, every, maxRequests);
    }

    /** Requests sent so far. */
    int sent() {
        return Math.max(0, sent.get());
    }

    @Override
    public void close() {
        timer.shutdownNow();
        client.shutdownNow();
    }
}
