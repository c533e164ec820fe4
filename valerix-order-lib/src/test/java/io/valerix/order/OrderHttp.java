package io.valerix.order;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sends hand-made requests to a server, as a client outside Valerix would, and reads the raw
 * reply with how long it took. No retries of its own: every request is sent once.
 */
final class OrderHttp {

  static final String JSON = "application/json";
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private static final OkHttpClient CLIENT = new OkHttpClient.Builder()
      .retryOnConnectionFailure(false)
      .connectionPool(new ConnectionPool(64, 1, java.util.concurrent.TimeUnit.MINUTES))
      .dispatcher(new Dispatcher())
      .callTimeout(Duration.ofSeconds(30))
      .build();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A reply: status, headers (names case-insensitive), body, and the time from send to the last body byte. */
  record Reply(int status, Map<String, List<String>> headers, String body, Duration elapsed) {

    JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    /** The problem type, or "" if the body is not a problem. */
    String problemType() {
      return json().path("type").asText();
    }

    String orderId() {
      return json().path("orderId").asText();
    }

    String orderStatus() {
      return json().path("status").asText();
    }

    String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public String toString() {
      return status + " " + body + " in " + elapsed.toMillis() + " ms";
    }
  }

  private OrderHttp() {}

  /** {@code POST /orders} with an {@code Idempotency-Key} (none if null) and a JSON body. */
  static Reply placeOrder(URI base, String key, String body, String... headers) {
    String[] all = key == null ? headers : prepend(headers, IDEMPOTENCY_KEY, key);
    return send(base, "POST", "/orders", JSON, body, all);
  }

  /** The body {@code {"sku":…,"quantity":…}}. */
  static String order(String sku, int quantity) {
    return "{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}";
  }

  static Reply getOrder(URI base, String orderId) {
    return send(base, "GET", "/orders/" + orderId, null, null);
  }

  /** Any request; {@code rawPath} is sent as given. A null content type sends the body without one. */
  static Reply send(URI base, String method, String rawPath, String contentType, String body, String... headers) {
    RequestBody requestBody = body == null
        ? (method.equals("PUT") || method.equals("POST") ? RequestBody.create(new byte[0]) : null)
        : RequestBody.create(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), contentType == null ? null : MediaType.get(contentType));
    Request.Builder request = new Request.Builder().url(base + rawPath).method(method, requestBody);
    for (int i = 0; i < headers.length; i += 2) {
      request.addHeader(headers[i], headers[i + 1]);
    }
    long start = System.nanoTime();
    try (Response response = CLIENT.newCall(request.build()).execute()) {
      String text = response.body().string();
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      map.putAll(response.headers().toMultimap());
      return new Reply(response.code(), map, text, elapsed);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + rawPath + " failed", e);
    }
  }

  private static String[] prepend(String[] headers, String name, String value) {
    String[] all = new String[headers.length + 2];
    all[0] = name;
    all[1] = value;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return all;
  }
}
