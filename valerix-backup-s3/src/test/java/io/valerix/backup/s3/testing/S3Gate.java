package io.valerix.backup.s3.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A loopback HTTP proxy in front of {@link TestS3}'s server that can make the bucket refuse
 * writes: while {@link #refuseWrites(boolean) refusing}, every PUT, POST and DELETE is answered
 * 403 {@code AccessDenied}, as S3 answers when a bucket policy or a revoked key denies it, while
 * reads still pass. Everything else is forwarded unchanged (S3Mock speaks TLS with a self-signed
 * certificate, which only this proxy has to trust). Thread-safe; the test closes it.
 */
public final class S3Gate implements AutoCloseable {

    private static final Set<String> WRITES = Set.of("PUT", "POST", "DELETE");
    // Headers the JDK client sets itself or refuses to forward, and hop-by-hop ones.
    private static final Set<String> NOT_FORWARDED = Set.of(
            "connection",
            "content-length",
            "expect",
            "host",
            "upgrade",
            "date",
            "via",
            "warning",
            "from",
            "referer",
            "transfer-encoding",
            "keep-alive");
    private static final String ACCESS_DENIED = """
      <?xml version="1.0" encoding="UTF-8"?>
      <Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>valerix-gate</RequestId></Error>""";

    private final URI upstream;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final AtomicInteger refusedWrites = new AtomicInteger();
    private volatile boolean refusing;

    private S3Gate(URI upstream) throws IOException {
        this.upstream = upstream;
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(trustingEveryone())
                .connectTimeout(Duration.ofSeconds(10))
                .executor(executor)
                .build();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static S3Gate open(URI upstream) {
        try {
            return new S3Gate(upstream);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The address to give an S3 client: {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** From now on, refuses (true) or forwards (false) every write. */
    public void refuseWrites(boolean refuse) {
        this.refusing = refuse;
    }

    /** How many writes were refused so far. */
    public int refusedWrites() {
        return refusedWrites.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (refusing && WRITES.contains(method)) {
                refusedWrites.incrementAndGet();
                byte[] denied = ACCESS_DENIED.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/xml");
                exchange.sendResponseHeaders(403, denied.length);
                exchange.getResponseBody().write(denied);
                return;
            }
            URI request = exchange.getRequestURI();
            URI target = URI.create(upstream
                    + request.getRawPath()
                    + (request.getRawQuery() == null ? "" : "?" + request.getRawQuery()));
            HttpRequest.Builder forward = HttpRequest.newBuilder(target)
                    .timeout(Duration.ofSeconds(60))
                    .method(
                            method,
                            body.length == 0
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> forward.header(name, value));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while forwarding " + method + " " + target, e);
            }
            response.headers().map().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!lower.startsWith(":") && !NOT_FORWARDED.contains(lower)) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            byte[] out = response.body();
            boolean empty = "HEAD".equals(method) || out.length == 0;
            exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : out.length);
            if (!empty) {
                exchange.getResponseBody().write(out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        client.close();
        executor.close();
    }

    /** S3Mock's certificate is self-signed and names no loopback address: this proxy accepts it. */
    private static SSLContext trustingEveryone() {
        X509ExtendedTrustManager everyone = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {everyone}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
