package io.valerix.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Sends hand-made requests (bad bodies, wrong types) to a server and reads the raw reply. */
final class RawHttp {

  static final OkHttpClient CLIENT = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  record Reply(int status, String contentType, String body, Map<String, java.util.List<String>> headers) {
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
  }

  static Reply send(URI base, String method, String path, String contentType, String body, String... headers) {
    RequestBody requestBody = body == null ? (method.equals("POST") || method.equals("PUT") ? RequestBody.create(new byte[0]) : null)
        : RequestBody.create(body, contentType == null ? null : MediaType.get(contentType));
    Request.Builder request = new Request.Builder().url(base + path).method(method, requestBody);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try (Response response = CLIENT.newCall(request.build()).execute()) {
      return new Reply(response.code(), response.header("Content-Type"), response.body().string(), response.headers().toMultimap());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private RawHttp() {}
}
