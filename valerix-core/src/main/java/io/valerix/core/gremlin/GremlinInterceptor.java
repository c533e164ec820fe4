package io.valerix.core.gremlin;

import io.valerix.core.time.NanoClock;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import okio.Source;

/**
 * The gremlin on the client side: an OkHttp {@link Interceptor} that lets a {@link Gremlin} decide
 * on each call (by method and path, so {@code route=} rules apply) and plays the decision out in
 * the client, whatever server is at the other end.
 *
 * <ul>
 *   <li>a delay sleeps before sending ({@code before}) or after the answer arrived ({@code after});
 *   <li>{@code error(503)} answers with that status and a problem+json body (before: the server is
 *       never called; after: the server's answer is discarded);
 *   <li>{@code reset} throws a {@link SocketException}, as a dropped connection does;
 *   <li>{@code noresponse(30s)} waits until the call's timeout (or the bound, if shorter), then
 *       throws an {@link InterruptedIOException} "timeout", as a silent server does;
 *   <li>{@code slowbody(5s)} hands the body out in pieces spread over that time.
 * </ul>
 *
 * <pre>{@code
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(GremlinInterceptor.of(Gremlin.builder(7).spec(GremlinSpec.parse("reset p=0.1")).build()))
 *     .build();
 * }</pre>
 *
 * <p>Add it as an application interceptor (so retries by the caller go through it again) or a
 * network interceptor (so OkHttp's own retries do). Sleeps run on the calling thread; a cancelled
 * call stops sleeping within 50 ms. Thread-safe.
 */
public final class GremlinInterceptor implements Interceptor {

    private static final MediaType PROBLEM = MediaType.get("application/problem+json");
    private static final long POLL_MILLIS = 50;

    private final Gremlin gremlin;

    private GremlinInterceptor(Gremlin gremlin) {
        this.gremlin = Objects.requireNonNull(gremlin, "gremlin");
    }

    /** An interceptor applying {@code gremlin} to every call. */
    public static GremlinInterceptor of(Gremlin gremlin) {
        return new GremlinInterceptor(gremlin);
    }

    /** The gremlin this interceptor applies. */
    public Gremlin gremlin() {
        return gremlin;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        GremlinDecision decision =
                gremlin.decide(request.method(), request.url().encodedPath());
        if (decision.injectsNothing()) {
            return chain.proceed(request);
        }
        sleep(chain, decision.delay(InjectionPhase.BEFORE));
        Optional<Fault> before = decision.fault(InjectionPhase.BEFORE);
        if (before.isPresent()) {
            return inject(chain, before.get(), null);
        }
        Response response = chain.proceed(request);
        try {
            sleep(chain, decision.delay(InjectionPhase.AFTER));
        } catch (IOException e) {
            response.close();
            throw e;
        }
        Optional<Fault> after = decision.fault(InjectionPhase.AFTER);
        return after.isPresent() ? inject(chain, after.get(), response) : response;
    }

    private static Response inject(Chain chain, Fault fault, Response response) throws IOException {
        if (!(fault instanceof Fault.SlowBody) && response != null) {
            response.close();
        }
        return switch (fault) {
            case Fault.ErrorResponse error ->
                new Response.Builder()
                        .request(chain.request())
                        .protocol(Protocol.HTTP_1_1)
                        .code(error.status())
                        .message("Injected by the gremlin")
                        .header("Content-Type", PROBLEM.toString())
                        .body(ResponseBody.create(
                                "{\"type\":\"urn:valerix:problem:" + GremlinFilter.INJECTED_TYPE
                                        + "\",\"title\":\"Injected by the gremlin\",\"status\":" + error.status()
                                        + ",\"detail\":\"the gremlin injected this error\"}",
                                PROBLEM))
                        .build();
            case Fault.ConnectionReset reset -> throw new SocketException("Connection reset (injected by the gremlin)");
            case Fault.NoResponse hold -> {
                long timeout = chain.call().timeout().timeoutNanos();
                Duration wait =
                        timeout > 0 && timeout < hold.bound().toNanos() ? Duration.ofNanos(timeout) : hold.bound();
                sleep(chain, wait);
                throw new InterruptedIOException(
                        "timeout (the gremlin held the answer for " + wait.toMillis() + " ms)");
            }
            case Fault.SlowBody slow -> response == null ? null : slowly(response, slow.duration());
        };
    }

    private static Response slowly(Response response, Duration duration) throws IOException {
        ResponseBody body = response.body();
        byte[] bytes = body.bytes();
        Buffer buffer = new Buffer().write(bytes);
        Source paced = new PacedSource(buffer, bytes.length, duration);
        BufferedSource source = Okio.buffer(paced);
        return response.newBuilder()
                .body(ResponseBody.create(source, body.contentType(), bytes.length))
                .build();
    }

    private static void sleep(Chain chain, Duration duration) throws IOException {
        long end = NanoClock.system().nanoTime() + duration.toNanos();
        try {
            // In slices, so that a cancelled call (a deadline, a user) stops waiting promptly.
            for (long left = duration.toNanos();
                    left > 0;
                    left = end - NanoClock.system().nanoTime()) {
                if (chain.call().isCanceled()) {
                    throw new IOException("Canceled");
                }
                Thread.sleep(Duration.ofNanos(
                        Math.min(left, Duration.ofMillis(POLL_MILLIS).toNanos())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the gremlin delayed the call");
        }
    }

    /** Hands out a buffered body evenly over a duration, in twenty pieces. */
    private static final class PacedSource extends ForwardingSource {
        private final long total;
        private final long startNanos = NanoClock.system().nanoTime();
        private final long durationNanos;
        private long released;

        PacedSource(Source delegate, long total, Duration duration) {
            super(delegate);
            this.total = total;
            this.durationNanos = duration.toNanos();
        }

        @Override
        public long read(Buffer sink, long byteCount) throws IOException {
            if (released >= total) {
                return super.read(sink, byteCount);
            }
            long piece = Math.max(1, total / 20);
            long nextPieceEnd = Math.min(total, released + piece);
            long dueNanos = startNanos + durationNanos * nextPieceEnd / Math.max(1, total);
            long wait = dueNanos - NanoClock.system().nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(wait));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while the gremlin slowed the body");
                }
            }
            long read = super.read(sink, Math.min(byteCount, nextPieceEnd - released));
            if (read > 0) {
                released += read;
            }
            return read;
        }
    }
}
