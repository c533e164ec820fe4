package io.valerix.core.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.core.deadline.Deadline;
import io.valerix.core.deadline.DeadlineExceededException;
import io.valerix.core.deadline.TimeLimiter;
import io.valerix.core.http.internal.SharedOkHttp;
import io.valerix.core.retry.RetryPolicy;
import io.valerix.core.time.NanoClock;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;

/**
 * A JSON-over-HTTP client for one remote service, on OkHttp with a connection pool shared across
 * the JVM.
 *
 * <p>Every call runs under a {@link Deadline}: the remaining budget travels in the {@value
 * ValerixHeaders#BUDGET_MS} header, and when the deadline passes the OkHttp {@link Call} is
 * cancelled (which unblocks its socket on any thread) and the caller gets a {@link
 * DeadlineExceededException} at once. Failures come back typed: {@link RemoteProblemException}
 * for an error status, {@link TransportException} when the call broke in transit.
 *
 * <p>Immutable and thread-safe; share one per remote service.
 */
public final class JsonClient {

    private static final MediaType JSON = MediaType.get("application/json");
    /** The largest reply body read; a larger one is a {@link TransportException}. */
    public static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

    private final String name;
    private final HttpUrl baseUrl;
    private final OkHttpClient http;
    private final ObjectMapper mapper;
    private final TimeLimiter limiter;
    private final NanoClock clock;
    private final RetryPolicy retryPolicy;
    private final CallListener listener;

    private JsonClient(Builder builder) {
        this.name = builder.name;
        this.baseUrl = builder.baseUrl;
        this.http = builder.http;
        this.mapper = builder.mapper;
        // The cancel action stops the socket; interrupting as well would only add a second race.
        this.clock = builder.clock;
        this.limiter = TimeLimiter.builder(builder.maxTimeout)
                .interrupt(false)
                .clock(builder.clock)
                .build();
        this.retryPolicy = builder.retryPolicy;
        this.listener = builder.listener;
    }

    /** A builder for a client of the service at {@code baseUri}, for example {@code http://127.0.0.1:8081}. */
    public static Builder builder(URI baseUri) {
        return new Builder(baseUri);
    }

    /**
     * Sends {@code request} and maps a 2xx reply body to {@code type} ({@code Void.class} to
     * ignore it).
     *
     * @throws DeadlineExceededException if the deadline passed first; the call was cancelled, and
     *     whether the server acted is unknown
     * @throws RemoteProblemException for a non-2xx reply
     * @throws TransportException if the call broke in transit
     */
    public <T> JsonResponse<T> send(JsonRequest request, Class<T> type, Deadline deadline) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(deadline, "deadline");
        if (retryPolicy == null) {
            return attempt(request, type, deadline);
        }
        return retryPolicy.call(deadline, request.idempotent(), () -> attempt(request, type, deadline));
    }

    /** The name of the remote service, used in metrics and logs. */
    public String name() {
        return name;
    }

    private <T> JsonResponse<T> attempt(JsonRequest request, Class<T> type, Deadline deadline) {
        long budgetMillis = deadline.remainingNanos() / 1_000_000;
        if (budgetMillis < 1) {
            listener.onCall(name, request.route(), "timeout", 0);
            throw new DeadlineExceededException(
                    request.route() + " to " + name, deadline.budget(), deadline.elapsed(), deadline.overshoot(), null);
        }
        okhttp3.Request.Builder http = new okhttp3.Request.Builder()
                .url(url(request))
                .header("Accept", "application/json, " + Problem.MEDIA_TYPE)
                .header(ValerixHeaders.BUDGET_MS, Long.toString(budgetMillis));
        request.headers().forEach(http::header);
        http.method(request.method(), body(request));
        Call call = this.http.newCall(http.build());
        long start = clock.nanoTime();
        String outcome = "transport-error";
        try {
            Reply reply = limiter.call(deadline, cancel -> {
                cancel.onCancel(call::cancel);
                return execute(call);
            });
            outcome = Integer.toString(reply.status);
            return toResponse(request, reply, type);
        } catch (DeadlineExceededException timeout) {
            outcome = "timeout";
            throw new DeadlineExceededException(
                    request.route() + " to " + name,
                    timeout.budget(),
                    timeout.elapsed(),
                    timeout.overshoot(),
                    timeout.getCause());
        } finally {
            listener.onCall(name, request.route(), outcome, clock.nanoTime() - start);
        }
    }

    private record Reply(int status, String contentType, Map<String, List<String>> headers, byte[] body) {}

    private static Reply execute(Call call) {
        try (okhttp3.Response response = call.execute()) {
            ResponseBody body = response.body();
            byte[] bytes;
            try (InputStream in = body.byteStream()) {
                bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            }
            if (bytes.length > MAX_RESPONSE_BYTES) {
                throw new TransportException(
                        "reply from " + call.request().url() + " is larger than " + MAX_RESPONSE_BYTES + " bytes",
                        null);
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String headerName : response.headers().names()) {
                headers.put(headerName.toLowerCase(Locale.ROOT), response.headers(headerName));
            }
            return new Reply(response.code(), response.header("Content-Type"), headers, bytes);
        } catch (IOException e) {
            throw new TransportException(
                    call.request().method() + " " + call.request().url() + " failed: " + e, e);
        }
    }

    private <T> JsonResponse<T> toResponse(JsonRequest request, Reply reply, Class<T> type) {
        if (reply.status >= 200 && reply.status < 300) {
            T body = null;
            if (type != Void.class && reply.body.length > 0) {
                try {
                    body = mapper.readValue(reply.body, type);
                } catch (IOException e) {
                    throw new TransportException(
                            request.route() + " to " + name + " answered a body that is not a " + type.getSimpleName(),
                            e);
                }
            }
            return new JsonResponse<>(reply.status, reply.headers, body);
        }
        Problem problem = null;
        if (reply.contentType != null
                && reply.contentType.toLowerCase(Locale.ROOT).startsWith(Problem.MEDIA_TYPE)) {
            try {
                problem = mapper.readValue(reply.body, Problem.class);
            } catch (IOException ignored) {
                // Falls through to the raw body below.
            }
        }
        if (problem == null) {
            String text = new String(
                    reply.body, 0, Math.min(reply.body.length, 200), java.nio.charset.StandardCharsets.UTF_8);
            problem = Problem.fromJson(URI.create("about:blank"), null, reply.status, text, null);
        }
        List<String> retryAfter = reply.headers.get("retry-after");
        throw new RemoteProblemException(
                request.route() + " to " + name, reply.status, problem, retryAfter == null ? null : retryAfter.get(0));
    }

    private HttpUrl url(JsonRequest request) {
        HttpUrl resolved = baseUrl.resolve(request.expandedPath().substring(1));
        if (resolved == null) {
            throw new IllegalArgumentException("cannot resolve " + request.expandedPath() + " against " + baseUrl);
        }
        return resolved;
    }

    private RequestBody body(JsonRequest request) {
        if (request.body() == null) {
            return request.method().equals("POST") || request.method().equals("PUT")
                    ? RequestBody.create(new byte[0], JSON)
                    : null;
        }
        try {
            return RequestBody.create(mapper.writeValueAsBytes(request.body()), JSON);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body of " + request.route() + " cannot be written as JSON", e);
        }
    }

    /** Builds a {@link JsonClient}; validated in {@link #build()}. */
    public static final class Builder {
        private final HttpUrl baseUrl;
        private String name = "remote";
        private OkHttpClient http = SharedOkHttp.client();
        private ObjectMapper mapper;
        private Duration maxTimeout = Duration.ofSeconds(30);
        private RetryPolicy retryPolicy;
        private CallListener listener = (dependency, route, outcome, nanos) -> {};
        private NanoClock clock = NanoClock.system();

        private Builder(URI baseUri) {
            Objects.requireNonNull(baseUri, "baseUri");
            String text = baseUri.toString();
            HttpUrl parsed = HttpUrl.parse(text.endsWith("/") ? text : text + "/");
            if (parsed == null) {
                throw new IllegalArgumentException("baseUri must be an http or https URL, but was " + baseUri);
            }
            this.baseUrl = parsed;
        }

        /** The remote service's name in metrics and logs; default {@code remote}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The OkHttp client to send with; by default one shared by every {@code JsonClient} in the
         * JVM. Pass a variant made with {@code newBuilder()} to keep sharing its connection pool.
         */
        public Builder okHttpClient(OkHttpClient client) {
            this.http = Objects.requireNonNull(client, "client");
            return this;
        }

        public Builder objectMapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /** The longest any call may take, whatever deadline it is given; default 30 s. */
        public Builder maxTimeout(Duration maxTimeout) {
            this.maxTimeout = Objects.requireNonNull(maxTimeout, "maxTimeout");
            return this;
        }

        /** Retries idempotent calls as the policy allows; no retries unless set. */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /** Told about every call, for latency monitoring. */
        /**
         * The clock calls are timed and limited on: {@link NanoClock#system()} (the default) or a
         * {@link io.valerix.core.time.TimerClock}, so a test can drive when a call's deadline fires.
         */
        public Builder clock(NanoClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder callListener(CallListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public JsonClient build() {
            if (maxTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("maxTimeout must be at least 1 ms, but was " + maxTimeout);
            }
            if (mapper == null) {
                mapper = Json.newMapper();
            }
            return new JsonClient(this);
        }
    }
}
