package io.valerix.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins each claim {@code SECURITY.md} makes, against a real {@code valerix up} in its own process,
 * started the way the document recommends: the admin and service tokens in the environment
 * ({@code VALERIX_ADMIN_TOKEN}, {@code VALERIX_SERVICE_TOKEN}), nothing secret on the command line.
 * Each test names the claim it pins; SECURITY.md names the tests.
 */
class SecurityModelTest {

  private static final String ADMIN_TOKEN = "security-model-admin-token-0123456789";
  private static final String SERVICE_TOKEN = "security-model-service-token-0123456789";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final OkHttpClient HTTP = new OkHttpClient.Builder()
      .retryOnConnectionFailure(false).callTimeout(Duration.ofSeconds(30)).build();
  private static final String EOF = "\u0000EOF";

  @TempDir static Path dir;

  private static Process up;
  private static final List<String> console = Collections.synchronizedList(new ArrayList<>());
  private static URI order;
  private static URI inventory;
  private static String dashboardLine;

  @BeforeAll
  static void startValerixUp() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), ValerixCli.class.getName(),
        "up", "--order-port", "0", "--inventory-port", "0", "--gremlin", "none", "--warmup-orders", "20",
        "--stock", "widget=50", "--data-dir", dir.resolve("data").toString());
    builder.environment().put("VALERIX_ADMIN_TOKEN", ADMIN_TOKEN);
    builder.environment().put("VALERIX_SERVICE_TOKEN", SERVICE_TOKEN);
    builder.redirectError(dir.resolve("up.stderr.log").toFile());
    up = builder.start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread.ofPlatform().daemon().name("valerix-up-stdout").start(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // The pipe ends with the process.
      } finally {
        lines.add(EOF);
      }
    });
    for (String line = next(lines); !line.startsWith("Press Ctrl-C"); line = next(lines)) {
      console.add(line);
      order = address(line, "order service").orElse(order);
      inventory = address(line, "inventory service").orElse(inventory);
      if (line.strip().startsWith("dashboard")) {
        dashboardLine = line;
      }
    }
    assertThat(order).isNotNull();
    assertThat(inventory).isNotNull();
  }

  @AfterAll
  static void stopValerixUp() throws Exception {
    if (up != null) {
      up.destroy();
      if (!up.waitFor(30, TimeUnit.SECONDS)) {
        up.destroyForcibly();
      }
    }
  }

  // ------------------------------------------------------------ loopback default

  @Test
  void servicesBindLoopbackByDefault() throws Exception {
    assertThat(order.getHost()).isEqualTo("127.0.0.1");
    assertThat(inventory.getHost()).isEqualTo("127.0.0.1");
    // From any other address of this machine, the ports do not answer.
    Optional<InetAddress> external = nonLoopbackAddress();
    if (external.isPresent()) {
      for (URI service : List.of(order, inventory)) {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(external.get(), service.getPort()), 2000);
          fail("%s answered on %s", service, external.get());
        } catch (IOException expected) {
          // Refused: bound to loopback only.
        }
      }
    }
  }

  // ------------------------------------------------------------ Host check, DNS rebinding

  @Test
  void aForeignHostIsRefusedOnEveryRouteOfBothServices() throws Exception {
    JsonNode stockBefore = json(send(inventory, "GET", "/inventory", null, null, null));
    List<String[]> routes = List.of(
        new String[] {"order", "GET", "/health"}, new String[] {"order", "GET", "/health/live"},
        new String[] {"order", "GET", "/health/ready"}, new String[] {"order", "GET", "/metrics"},
        new String[] {"order", "POST", "/orders"}, new String[] {"order", "GET", "/orders/o-1"},
        new String[] {"order", "GET", "/admin/orders"}, new String[] {"order", "GET", "/dashboard"},
        new String[] {"order", "GET", "/dashboard/api/stock"}, new String[] {"order", "GET", "/dashboard/events"},
        new String[] {"inventory", "GET", "/health"}, new String[] {"inventory", "GET", "/health/ready"},
        new String[] {"inventory", "GET", "/inventory"}, new String[] {"inventory", "PUT", "/reservations/o-1"},
        new String[] {"inventory", "DELETE", "/reservations/o-1"}, new String[] {"inventory", "GET", "/admin/gremlin"},
        new String[] {"inventory", "GET", "/no/such/route"});
    for (String[] route : routes) {
      URI base = route[0].equals("order") ? order : inventory;
      String body = route[1].equals("POST") || route[1].equals("PUT") ? "{\"sku\":\"widget\",\"quantity\":1}" : null;
      // A rebinding page's browser sends the page's own name, with every credential it could have.
      Reply reply = send(base, route[1], route[2], body, "Bearer " + SERVICE_TOKEN, "rebind.evil.example:" + base.getPort());
      assertThat(reply.status()).as("%s %s %s", route[0], route[1], route[2]).isEqualTo(421);
      assertThat(reply.contentType()).as("%s %s", route[1], route[2]).isEqualTo("application/problem+json");
      assertThat(json(reply).path("type").asText()).isEqualTo("urn:valerix:problem:host-not-allowed");
    }
    assertThat(json(send(inventory, "GET", "/inventory", null, null, null))).isEqualTo(stockBefore);
    assertThat(send(order, "GET", "/orders/o-1", null, null, null).status()).isEqualTo(404);
  }

  // ------------------------------------------------------------ service token

  @Test
  void anUnauthenticatedReservationWriteIsRefusedAndChangesNothing() throws Exception {
    JsonNode stockBefore = json(send(inventory, "GET", "/inventory", null, null, null));
    String body = "{\"sku\":\"widget\",\"quantity\":5}";

    Reply none = send(inventory, "PUT", "/reservations/sec-1", body, null, null);
    Reply admin = send(inventory, "PUT", "/reservations/sec-1", body, "Bearer " + ADMIN_TOKEN, null);
    Reply release = send(inventory, "DELETE", "/reservations/sec-1", null, null, null);

    assertThat(none.status()).isEqualTo(401);
    assertThat(json(none).path("type").asText()).isEqualTo("urn:valerix:problem:unauthorized");
    assertThat(admin.status()).as("the admin token does not open stock writes").isEqualTo(403);
    assertThat(release.status()).isEqualTo(401);
    assertThat(send(inventory, "GET", "/reservations/sec-1", null, null, null).status()).isEqualTo(404);
    assertThat(json(send(inventory, "GET", "/inventory", null, null, null))).isEqualTo(stockBefore);
  }

  @Test
  void theOrderServiceWritesReservationsWithTheServiceTokenFromTheEnvironment() throws Exception {
    Reply placed = send(order, "POST", "/orders", "{\"orderId\":\"sec-ok-1\",\"sku\":\"widget\",\"quantity\":1}", null, null);

    assertThat(placed.status()).isEqualTo(201);
    assertThat(json(placed).path("status").asText()).isEqualTo("CONFIRMED");
    assertThat(json(send(inventory, "GET", "/reservations/sec-ok-1", null, null, null)).path("status").asText()).isEqualTo("RESERVED");
  }

  // ------------------------------------------------------------ admin token, dashboard

  @Test
  void adminRoutesAndTheDashboardApiNeedTheAdminToken() throws Exception {
    for (String path : List.of("/admin/orders", "/dashboard/api/snapshot", "/dashboard/api/stock", "/dashboard/api/gremlin", "/dashboard/events")) {
      Reply none = send(order, "GET", path, null, null, null);
      assertThat(none.status()).as(path).isEqualTo(401);
      assertThat(none.contentType()).as(path).isEqualTo("application/problem+json");
      assertThat(send(order, "GET", path, null, "Bearer " + SERVICE_TOKEN, null).status()).as(path + " with the service token").isEqualTo(403);
    }
    assertThat(send(inventory, "GET", "/admin/gremlin", null, null, null).status()).isEqualTo(401);
    assertThat(send(inventory, "GET", "/admin/reservations", null, null, null).status()).isEqualTo(401);
  }

  @Test
  void tokensFromTheEnvironmentWorkAndNeverAppearOnTheCommandLine() throws Exception {
    assertThat(send(order, "GET", "/dashboard/api/stock", null, "Bearer " + ADMIN_TOKEN, null).status()).isEqualTo(200);
    assertThat(send(inventory, "GET", "/admin/gremlin", null, "Bearer " + ADMIN_TOKEN, null).status()).isEqualTo(200);
    // What `ps` shows every user of the machine.
    Path cmdline = Path.of("/proc", Long.toString(up.pid()), "cmdline");
    String commandLine = Files.exists(cmdline)
        ? new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\u0000', ' ')
        : String.join(" ", up.info().arguments().orElse(new String[0]));
    assertThat(commandLine).contains(ValerixCli.class.getName()).doesNotContain(ADMIN_TOKEN).doesNotContain(SERVICE_TOKEN);
  }

  @Test
  void thePrintedDashboardAddressCarriesTheTokenInTheFragmentNotTheQuery() {
    assertThat(dashboardLine).isNotNull();
    Matcher url = Pattern.compile("(http://\\S+)").matcher(dashboardLine);
    assertThat(url.find()).isTrue();
    URI dashboard = URI.create(url.group(1));

    assertThat(dashboard.getRawQuery()).isNull();
    assertThat(dashboard.getRawFragment()).isEqualTo("token=" + ADMIN_TOKEN);
    // The service token is printed nowhere.
    assertThat(String.join("\n", console)).doesNotContain(SERVICE_TOKEN);
  }

  @Test
  void theServicesWereAnnouncedWarm() {
    String warm = console.stream().filter(line -> line.strip().startsWith("warm")).findFirst().orElseThrow();

    assertThat(warm).contains("20 warm-up orders", "order 16/16", "inventory 10/10", "inventory link open");
  }

  // ------------------------------------------------------------ CSRF

  @Test
  void aCrossSiteRequestCannotPlaceAnOrderOrReadAnAnswer() throws Exception {
    // What an HTML form or a no-preflight fetch from another site can send: text/plain.
    Reply form = send(order, "POST", "/orders", "{\"orderId\":\"csrf-1\",\"sku\":\"widget\",\"quantity\":1}", null, null,
        "text/plain", "http://evil.example");

    assertThat(form.status()).isEqualTo(415);
    assertThat(send(order, "GET", "/orders/csrf-1", null, null, null).status()).isEqualTo(404);
    // No CORS: a browser lets no other origin read any answer, nor send a JSON or Authorization request.
    assertThat(form.header("Access-Control-Allow-Origin")).isNull();
    Reply preflight = send(order, "OPTIONS", "/orders", null, null, null, null, "http://evil.example");
    assertThat(preflight.status()).isGreaterThanOrEqualTo(400);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
  }

  // ------------------------------------------------------------ plumbing

  private record Reply(int status, String contentType, String body, Map<String, List<String>> headers) {
    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  private static Reply send(URI base, String method, String path, String body, String authorization, String host) throws IOException {
    return send(base, method, path, body, authorization, host, "application/json", null);
  }

  private static Reply send(URI base, String method, String path, String body, String authorization, String host, String contentType,
      String origin) throws IOException {
    RequestBody requestBody = body != null ? RequestBody.create(body, MediaType.get(contentType))
        : method.equals("POST") || method.equals("PUT") ? RequestBody.create(new byte[0]) : null;
    Request.Builder request = new Request.Builder().url(base.resolve(path).toString()).method(method, requestBody);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (host != null) {
      request.header("Host", host);
    }
    if (origin != null) {
      request.header("Origin", origin);
    }
    if (path.equals("/dashboard/events")) {
      request.header("Accept", "text/event-stream");
    }
    try (Response response = HTTP.newCall(request.build()).execute()) {
      String text = response.code() == 200 && path.equals("/dashboard/events") ? "" : response.body().string();
      Map<String, List<String>> headers = new java.util.TreeMap<>();
      response.headers().toMultimap().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values));
      return new Reply(response.code(), response.header("Content-Type"), text, headers);
    }
  }

  private static JsonNode json(Reply reply) {
    try {
      return MAPPER.readTree(reply.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + reply.body(), e);
    }
  }

  private static Optional<URI> address(String line, String label) {
    if (!line.strip().startsWith(label)) {
      return Optional.empty();
    }
    Matcher m = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)").matcher(line);
    return m.find() ? Optional.of(URI.create(m.group(1))) : Optional.empty();
  }

  private static String next(BlockingQueue<String> lines) throws Exception {
    String line = lines.poll(120, TimeUnit.SECONDS);
    if (line == null || line.equals(EOF)) {
      List<String> log = Files.readAllLines(dir.resolve("up.stderr.log"));
      fail("valerix up did not announce itself; its output so far:%n%s%nits stderr:%n%s", String.join("\n", console),
          String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size())));
    }
    return line;
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address) {
          return Optional.of(address);
        }
      }
    }
    return Optional.empty();
  }
}
