package io.valerix.core.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Sends JSON requests to a test server and reads the raw reply. */
final class Http {

  private static final OkHttpClient CLIENT = new OkHttpClient.Builder()
      .retryOnConnectionFailure(false)
      .readTimeout(Duration.ofSeconds(30))
      .build();
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final MediaType JSON = MediaType.get("application/json");

  /** A reply; header names in {@code headers} are lower case. */
  record Reply(int status, String body, Map<String, List<String>> headers) {
    JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String problemType() {
      return json().path("type").asText();
    }

    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    boolean replayed() {
      return "true".equals(header("Idempotent-Replayed"));
    }
  }

  static Reply post(URI base, String path, String json, String... headers) {
    return send(base, "POST", path, json, headers);
  }

  static Reply send(URI base, String method, String path, String json, String... headers) {
    Request.Builder request = new Request.Builder()
        .url(base + path)
        .method(method, json == null ? null : RequestBody.create(json, JSON));
    for (int i = 0; i < headers.length; i += 2) {
      request.addHeader(headers[i], headers[i + 1]);
    }
    try (Response response = CLIENT.newCall(request.build()).execute()) {
      return new Reply(response.code(), response.body().string(), response.headers().toMultimap());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Http() {}
}
