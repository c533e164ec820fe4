package io.valerix.core.gremlin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server that is not Valerix's: the JDK's own HttpServer on a free loopback port. {@code PUT
 * /items/{id}} counts a side effect; every request is answered with a JSON echo of what arrived
 * (method, path, query, a header, body), with an {@code X-Upstream: jdk} header.
 */
final class JdkUpstream implements AutoCloseable {

    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;
    private boolean closed;

    JdkUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String path = exchange.getRequestURI().getRawPath();
        if (exchange.getRequestMethod().equals("PUT") && path.startsWith("/items/")) {
            writes.incrementAndGet();
        }
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String echo = "{\"method\":\"" + exchange.getRequestMethod() + "\",\"path\":\"" + path + "\",\"query\":\""
                + exchange.getRequestURI().getRawQuery() + "\",\"trace\":\""
                + exchange.getRequestHeaders().getFirst("X-Trace")
                + "\",\"body\":\"" + body.replace("\"", "'") + "\"}";
        byte[] bytes = echo.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("X-Upstream", "jdk");
        exchange.sendResponseHeaders(path.equals("/created") ? 201 : 200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.stop(0);
        }
    }
}
