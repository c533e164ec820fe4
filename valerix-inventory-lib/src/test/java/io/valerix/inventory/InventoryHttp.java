package io.valerix.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Sends hand-made requests to an inventory server and reads the raw reply. */
final class InventoryHttp {

  private static final OkHttpClient CLIENT =
      new OkHttpClient.Builder().retryOnConnectionFailure(false).callTimeout(Duration.ofSeconds(30)).build();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The service token every test server is started with, and every request here sends unless told otherwise. */
  static final String SERVICE_TOKEN = "test-service-token-0123456789";

  record Reply(int status, String contentType, String body, Map<String, List<String>> headers) {
    JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    String problemType() {
      return json().path("type").asText();
    }

    String reservationStatus() {
      return json().path("status").asText();
    }
  }

  private InventoryHttp() {}

  /** PUT /reservations/{orderId} with a well-formed body; the order id is percent-encoded. */
  static Reply reserve(URI base, String orderId, String sku, int quantity, String... headers) {
    String body = "{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}";
    return send(base, "PUT", "/reservations/" + encode(orderId), "application/json", body, headers);
  }

  static Reply release(URI base, String orderId) {
    return send(base, "DELETE", "/reservations/" + encode(orderId), null, null);
  }

  static Reply find(URI base, String orderId) {
    return send(base, "GET", "/reservations/" + encode(orderId), null, null);
  }

  static Reply stock(URI base, String sku) {
    return send(base, "GET", "/inventory/" + encode(sku), null, null);
  }

  /**
   * Any request; {@code rawPath} is sent as given, already percent-encoded. It carries the {@link
   * #SERVICE_TOKEN} unless {@code headers} set another {@code Authorization}, or set it to the
   * empty string to send none.
   */
  static Reply send(URI base, String method, String rawPath, String contentType, String body, String... headers) {
    RequestBody requestBody = body == null
        ? (method.equals("PUT") || method.equals("POST") ? RequestBody.create(new byte[0]) : null)
        : RequestBody.create(body, contentType == null ? null : MediaType.get(contentType));
    Request.Builder request = new Request.Builder().url(base + rawPath).method(method, requestBody)
        .header("Authorization", "Bearer " + SERVICE_TOKEN);
    for (int i = 0; i < headers.length; i += 2) {
      if (headers[i].equalsIgnoreCase("Authorization") && headers[i + 1].isEmpty()) {
        request.removeHeader("Authorization");
      } else {
        request.header(headers[i], headers[i + 1]);
      }
    }
    try (Response response = CLIENT.newCall(request.build()).execute()) {
      return new Reply(response.code(), response.header("Content-Type"), response.body().string(), response.headers().toMultimap());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String encode(String segment) {
    return HttpUrl.get("http://127.0.0.1/").newBuilder().addPathSegment(segment).build().encodedPath().substring(1);
  }
}
