package io.valerix.examples;

// snippet:start deadline-imports
import io.valerix.core.deadline.DeadlineExceededException;
import io.valerix.core.deadline.TimeLimiter;
import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinFilter;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.http.JsonServer;
import io.valerix.core.time.NanoClock;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
// snippet:end deadline-imports

/**
 * A deadline around a plain blocking OkHttp call: when it passes, the call is cancelled (its
 * socket read unblocks) and the caller gets {@link DeadlineExceededException} within a few
 * milliseconds, instead of waiting for a slow server.
 *
 * <p>Run it: {@code java -cp ... io.valerix.examples.DeadlineAroundBlockingCall}. It starts a
 * server on loopback whose gremlin answers after 5 s, and gives the call 300 ms.
 */
public final class DeadlineAroundBlockingCall {

    private DeadlineAroundBlockingCall() {}

    /** What happened to one call. */
    public record Outcome(boolean deadlineExceeded, boolean callCancelled, Duration elapsed, String body) {}

    /** Calls {@code url} with at most {@code budget}; see the class comment. */
    public static Outcome fetch(OkHttpClient client, URI url, Duration budget) {
        Call[] started = new Call[1];
        NanoClock clock = NanoClock.system();
        long start = clock.nanoTime();
        try {
            // snippet:start deadline-call
            TimeLimiter limiter = TimeLimiter.of(budget); // immutable: share one per dependency
            String body = limiter.call(cancel -> {
                Call call =
                        client.newCall(new Request.Builder().url(url.toString()).build());
                cancel.onCancel(call::cancel); // the deadline cancels the socket read
                started[0] = call;
                try (Response response = call.execute()) {
                    return response.body().string();
                }
            });
            // snippet:end deadline-call
            return new Outcome(false, false, Duration.ofNanos(clock.nanoTime() - start), body);
        } catch (DeadlineExceededException e) {
            // back within a few ms of the deadline; the call was cancelled, not abandoned
            return new Outcome(
                    true,
                    started[0] != null && started[0].isCanceled(),
                    Duration.ofNanos(clock.nanoTime() - start),
                    null);
        }
    }

    /** A server on a free loopback port that answers {@code GET /slow} after {@code delay}. */
    public static JsonServer slowServer(Duration delay) {
        Gremlin gremlin = Gremlin.builder(1)
                .spec(GremlinSpec.parse("fixed(" + delay.toMillis() + "ms) before"))
                .build();
        return JsonServer.builder()
                .port(0)
                .drainTimeout(Duration.ofMillis(100)) // close() need not wait for a held request
                .filter(GremlinFilter.of(gremlin))
                .route("GET", "/slow", request -> io.valerix.core.http.Response.json(200, Map.of("slow", true)))
                .build()
                .start();
    }

    public static void main(String[] args) {
        OkHttpClient client = new OkHttpClient();
        try (JsonServer server = slowServer(Duration.ofSeconds(5))) {
            Outcome outcome = fetch(client, server.uri().resolve("/slow"), Duration.ofMillis(300));
            // An example's own output: printing is what it is for.
            System.out.printf(
                    "deadlineExceeded=%s callCancelled=%s elapsedMs=%d%n",
                    outcome.deadlineExceeded(),
                    outcome.callCancelled(),
                    outcome.elapsed().toMillis());
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }
}
