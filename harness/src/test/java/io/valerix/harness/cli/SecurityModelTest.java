package io.valerix.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.core.testing.ChildJvm;
import io.valerix.core.testing.RawHttp;
import io.valerix.core.testing.RawHttp.Reply;
import java.io.IOException;
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
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    @TempDir
    static Path dir;

    private static ChildJvm up;
    private static final List<String> console = Collections.synchronizedList(new ArrayList<>());
    private static URI order;
    private static URI inventory;
    private static String dashboardLine;

    @BeforeAll
    static void startValerixUp() throws Exception {
        up = ChildJvm.of(ValerixCli.class)
                .heap("384m")
                .quickStart(false)
                .arguments(
                        "up",
                        "--order-port",
                        "0",
                        "--inventory-port",
                        "0",
                        "--gremlin",
                        "none",
                        "--warmup-orders",
                        "20",
                        "--stock",
                        "widget=50",
                        "--data-dir",
                        dir.resolve("data").toString())
                .environment("VALERIX_ADMIN_TOKEN", ADMIN_TOKEN)
                .environment("VALERIX_SERVICE_TOKEN", SERVICE_TOKEN)
                .stderrTo(dir.resolve("up.stderr.log"))
                .start();
        for (String line = next(); !line.startsWith("Press Ctrl-C"); line = next()) {
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
            up.stop();
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
        JsonNode stockBefore =
                send(inventory, "GET", "/inventory", null, null, null).json();
        List<String[]> routes = List.of(
                new String[] {"order", "GET", "/health"},
                new String[] {"order", "GET", "/health/live"},
                new String[] {"order", "GET", "/health/ready"},
                new String[] {"order", "GET", "/metrics"},
                new String[] {"order", "POST", "/orders"},
                new String[] {"order", "GET", "/orders/o-1"},
                new String[] {"order", "GET", "/admin/orders"},
                new String[] {"order", "GET", "/dashboard"},
                new String[] {"order", "GET", "/dashboard/api/stock"},
                new String[] {"order", "GET", "/dashboard/events"},
                new String[] {"inventory", "GET", "/health"},
                new String[] {"inventory", "GET", "/health/ready"},
                new String[] {"inventory", "GET", "/inventory"},
                new String[] {"inventory", "PUT", "/reservations/o-1"},
                new String[] {"inventory", "DELETE", "/reservations/o-1"},
                new String[] {"inventory", "GET", "/admin/gremlin"},
                new String[] {"inventory", "GET", "/no/such/route"});
        for (String[] route : routes) {
            URI base = route[0].equals("order") ? order : inventory;
            String body =
                    route[1].equals("POST") || route[1].equals("PUT") ? "{\"sku\":\"widget\",\"quantity\":1}" : null;
            // A rebinding page's browser sends the page's own name, with every credential it could have.
            Reply reply = send(
                    base, route[1], route[2], body, "Bearer " + SERVICE_TOKEN, "rebind.evil.example:" + base.getPort());
            assertThat(reply.status())
                    .as("%s %s %s", route[0], route[1], route[2])
                    .isEqualTo(421);
            assertThat(reply.contentType()).as("%s %s", route[1], route[2]).isEqualTo("application/problem+json");
            assertThat(reply.json().path("type").asText()).isEqualTo("urn:valerix:problem:host-not-allowed");
        }
        assertThat(send(inventory, "GET", "/inventory", null, null, null).json())
                .isEqualTo(stockBefore);
        assertThat(send(order, "GET", "/orders/o-1", null, null, null).status()).isEqualTo(404);
    }

    // ------------------------------------------------------------ service token

    @Test
    void anUnauthenticatedReservationWriteIsRefusedAndChangesNothing() throws Exception {
        JsonNode stockBefore =
                send(inventory, "GET", "/inventory", null, null, null).json();
        String body = "{\"sku\":\"widget\",\"quantity\":5}";

        Reply none = send(inventory, "PUT", "/reservations/sec-1", body, null, null);
        Reply admin = send(inventory, "PUT", "/reservations/sec-1", body, "Bearer " + ADMIN_TOKEN, null);
        Reply release = send(inventory, "DELETE", "/reservations/sec-1", null, null, null);

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().path("type").asText()).isEqualTo("urn:valerix:problem:unauthorized");
        assertThat(admin.status())
                .as("the admin token does not open stock writes")
                .isEqualTo(403);
        assertThat(release.status()).isEqualTo(401);
        assertThat(send(inventory, "GET", "/reservations/sec-1", null, null, null)
                        .status())
                .isEqualTo(404);
        assertThat(send(inventory, "GET", "/inventory", null, null, null).json())
                .isEqualTo(stockBefore);
    }

    @Test
    void theOrderServiceWritesReservationsWithTheServiceTokenFromTheEnvironment() throws Exception {
        Reply placed = send(
                order, "POST", "/orders", "{\"orderId\":\"sec-ok-1\",\"sku\":\"widget\",\"quantity\":1}", null, null);

        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.json().path("status").asText()).isEqualTo("CONFIRMED");
        assertThat(send(inventory, "GET", "/reservations/sec-ok-1", null, null, null)
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("RESERVED");
    }

    // ------------------------------------------------------------ admin token, dashboard

    @Test
    void adminRoutesAndTheDashboardApiNeedTheAdminToken() throws Exception {
        for (String path : List.of(
                "/admin/orders",
                "/dashboard/api/snapshot",
                "/dashboard/api/stock",
                "/dashboard/api/gremlin",
                "/dashboard/events")) {
            Reply none = send(order, "GET", path, null, null, null);
            assertThat(none.status()).as(path).isEqualTo(401);
            assertThat(none.contentType()).as(path).isEqualTo("application/problem+json");
            assertThat(send(order, "GET", path, null, "Bearer " + SERVICE_TOKEN, null)
                            .status())
                    .as(path + " with the service token")
                    .isEqualTo(403);
        }
        assertThat(send(inventory, "GET", "/admin/gremlin", null, null, null).status())
                .isEqualTo(401);
        assertThat(send(inventory, "GET", "/admin/reservations", null, null, null)
                        .status())
                .isEqualTo(401);
    }

    @Test
    void tokensFromTheEnvironmentWorkAndNeverAppearOnTheCommandLine() throws Exception {
        assertThat(send(order, "GET", "/dashboard/api/stock", null, "Bearer " + ADMIN_TOKEN, null)
                        .status())
                .isEqualTo(200);
        assertThat(send(inventory, "GET", "/admin/gremlin", null, "Bearer " + ADMIN_TOKEN, null)
                        .status())
                .isEqualTo(200);
        // What `ps` shows every user of the machine.
        Path cmdline = Path.of("/proc", Long.toString(up.handle().pid()), "cmdline");
        String commandLine = Files.exists(cmdline)
                ? new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\u0000', ' ')
                : String.join(" ", up.handle().info().arguments().orElse(new String[0]));
        assertThat(commandLine)
                .contains(ValerixCli.class.getName())
                .doesNotContain(ADMIN_TOKEN)
                .doesNotContain(SERVICE_TOKEN);
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
        String warm = console.stream()
                .filter(line -> line.strip().startsWith("warm"))
                .findFirst()
                .orElseThrow();

        assertThat(warm).contains("20 warm-up orders", "order 16/16", "inventory 10/10", "inventory link open");
    }

    // ------------------------------------------------------------ CSRF

    @Test
    void aCrossSiteRequestCannotPlaceAnOrderOrReadAnAnswer() throws Exception {
        // What an HTML form or a no-preflight fetch from another site can send: text/plain.
        Reply form = send(
                order,
                "POST",
                "/orders",
                "{\"orderId\":\"csrf-1\",\"sku\":\"widget\",\"quantity\":1}",
                null,
                null,
                "text/plain",
                "http://evil.example");

        assertThat(form.status()).isEqualTo(415);
        assertThat(send(order, "GET", "/orders/csrf-1", null, null, null).status())
                .isEqualTo(404);
        // No CORS: a browser lets no other origin read any answer, nor send a JSON or Authorization request.
        assertThat(form.header("Access-Control-Allow-Origin")).isNull();
        Reply preflight = send(order, "OPTIONS", "/orders", null, null, null, null, "http://evil.example");
        assertThat(preflight.status()).isGreaterThanOrEqualTo(400);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
    }

    // ------------------------------------------------------------ plumbing

    private static Reply send(URI base, String method, String path, String body, String authorization, String host) {
        return send(base, method, path, body, authorization, host, "application/json", null);
    }

    private static Reply send(
            URI base,
            String method,
            String path,
            String body,
            String authorization,
            String host,
            String contentType,
            String origin) {
        List<String> headers = new ArrayList<>();
        if (authorization != null) {
            headers.addAll(List.of("Authorization", authorization));
        }
        if (host != null) {
            headers.addAll(List.of("Host", host));
        }
        if (origin != null) {
            headers.addAll(List.of("Origin", origin));
        }
        if (path.equals("/dashboard/events")) {
            headers.addAll(List.of("Accept", "text/event-stream"));
        }
        return RawHttp.send(
                base, method, path, body == null ? null : contentType, body, headers.toArray(String[]::new));
    }

    private static Optional<URI> address(String line, String label) {
        if (!line.strip().startsWith(label)) {
            return Optional.empty();
        }
        Matcher m = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)").matcher(line);
        return m.find() ? Optional.of(URI.create(m.group(1))) : Optional.empty();
    }

    private static String next() throws Exception {
        String line = up.nextLine(Duration.ofSeconds(120));
        if (line == null) {
            fail(
                    "valerix up did not announce itself; its output so far:%n%s%nits stderr:%n%s",
                    String.join("\n", console), up.stderrTail());
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
