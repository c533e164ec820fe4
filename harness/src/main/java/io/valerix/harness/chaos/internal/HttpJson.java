package io.valerix.harness.chaos.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.core.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The harness's own small JSON-over-HTTP calls (admin routes, audits, health), with a bearer token
 * when one is given. Not for the workload, which needs exact control of each request.
 *
 * <p>Thread-safe. Failures are {@link UncheckedIOException}s naming the URL and the status.
 */
public final class HttpJson implements AutoCloseable {

    static final ObjectMapper MAPPER = Json.newMapper();
    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient client;

    public HttpJson(Duration timeout) {
        this.client = new OkHttpClient.Builder()
                .callTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(0, TimeUnit.MILLISECONDS)
                .retryOnConnectionFailure(true)
                .build();
    }

    /** GET {@code base + pathAndQuery}; the body as JSON, for any 2xx (and 503 from {@code /health}). */
    public JsonNode get(URI base, String pathAndQuery, String token) {
        Request.Builder request =
                new Request.Builder().url(base.resolve(pathAndQuery).toString()).get();
        return send(request, token, pathAndQuery.startsWith("/health"));
    }

    /** PUT a JSON body. */
    public JsonNode put(URI base, String path, String token, Object body) {
        try {
            Request.Builder request = new Request.Builder()
                    .url(base.resolve(path).toString())
                    .put(RequestBody.create(MAPPER.writeValueAsBytes(body), JSON));
            return send(request, token, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POST a JSON body with extra headers (name, value, name, value, …). */
    public JsonNode post(URI base, String path, Object body, String... headers) {
        try {
            Request.Builder request = new Request.Builder()
                    .url(base.resolve(path).toString())
                    .post(RequestBody.create(MAPPER.writeValueAsBytes(body), JSON));
            for (int i = 0; i + 1 < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            return send(request, null, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode send(Request.Builder request, String token, boolean anyStatusWithBody) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        Request built = request.build();
        try (Response response = client.newCall(built).execute()) {
            String body = response.body().string();
            if (!response.isSuccessful() && !(anyStatusWithBody && response.code() == 503)) {
                throw new UncheckedIOException(new IOException(
                        built.method() + " " + built.url() + " answered " + response.code() + ": " + abbreviate(body)));
            }
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.url() + " failed: " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
