package io.valerix.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.valerix.core.gremlin.DecisionLog;
import io.valerix.core.gremlin.GremlinDecision;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code valerix proxy} in front of a server that is not Valerix's (the JDK HttpServer). */
class ProxyCommandTest {

    private static final String TOKEN = "proxy-cli-admin-token-0123456789";

    private final AtomicInteger writes = new AtomicInteger();
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private HttpServer upstream;

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", exchange -> {
            if (exchange.getRequestMethod().equals("PUT")) {
                writes.incrementAndGet();
            }
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"ok\":true}".getBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();
    }

    @AfterEach
    void stopUpstream() {
        upstream.stop(0);
    }

    private int send(URI base, String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "text/plain");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void proxiesWithSeededPerRouteFaultsAnAdminRouteAndADecisionLog(@TempDir Path dir) throws Exception {
        // Given the proxy command running in front of the JDK server
        Path log = dir.resolve("decisions.jsonl");
        StringWriter output = new StringWriter();
        CommandLine cli = ValerixCliAccess.commandLine();
        cli.setOut(new PrintWriter(output, true));
        AtomicReference<Integer> exit = new AtomicReference<>();
        Thread running = Thread.ofPlatform()
                .name("proxy-command")
                .start(() -> exit.set(cli.execute(
                        "proxy",
                        "--listen",
                        "0",
                        "--upstream",
                        "http://127.0.0.1:" + upstream.getAddress().getPort(),
                        "--gremlin",
                        "error(503) after route=\"PUT /items/*\"",
                        "--seed",
                        "3",
                        "--admin-token",
                        TOKEN,
                        "--decision-log",
                        log.toString())));
        Pattern listening = Pattern.compile("listening\\s+(http://\\S+)");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> listening.matcher(output.toString()).find());
        Matcher found = listening.matcher(output.toString());
        found.find();
        URI proxy = URI.create(found.group(1));

        // When a client writes and reads through it, and someone without the token tries the admin route
        int write = send(proxy, "PUT", "/items/1", "x", null);
        int read = send(proxy, "GET", "/items/1", null, null);
        int anonymous = send(proxy, "PUT", "/admin/gremlin", "none", null);
        int admin = send(proxy, "GET", "/admin/gremlin", null, TOKEN);
        running.interrupt();
        running.join(Duration.ofSeconds(30));

        // Then the write was done upstream but its answer replaced, the read passed, the admin route held
        assertThat(write).isEqualTo(503);
        assertThat(writes).hasValue(1);
        assertThat(read).isEqualTo(200);
        assertThat(anonymous).isEqualTo(401);
        assertThat(admin).isEqualTo(200);
        assertThat(exit.get()).isZero();
        assertThat(output.toString()).contains("seed 3");
        List<GremlinDecision> decisions = DecisionLog.read(Files.newBufferedReader(log));
        assertThat(decisions).extracting(GremlinDecision::path).containsExactly("/items/1", "/items/1");
        assertThat(decisions.get(0).fault()).isPresent();
        assertThat(decisions.get(1).injectsNothing()).isTrue();
    }

    @Test
    void aBadSpecIsAUsageErrorNamingTheOption() {
        StringWriter err = new StringWriter();
        CommandLine cli = ValerixCliAccess.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute(
                "proxy", "--listen", "0", "--upstream", "http://127.0.0.1:1", "--gremlin", "unifrom(0ms,1s)");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--gremlin");
    }
}
