package io.valerix.examples;

// snippet:start any-server-imports
import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinInterceptor;
import io.valerix.core.gremlin.GremlinProxy;
import io.valerix.core.gremlin.GremlinSpec;
import java.net.URI;
import java.time.Duration;
import java.util.function.Function;
import okhttp3.OkHttpClient;
// snippet:end any-server-imports

/**
 * The gremlin in front of a server that is not Valerix's: as a proxy between any client and any
 * HTTP server, and as an OkHttp interceptor inside the client. docs/gremlin.md shows these
 * regions; {@code GremlinInFrontOfAnyServerTest} runs them against the JDK's HttpServer.
 */
public final class GremlinInFrontOfAnyServer {

    private GremlinInFrontOfAnyServer() {}

    /**
     * Starts a gremlin proxy in front of {@code upstream} that loses the answer of every
     * {@code POST /payments} after the upstream took it, hands its address to {@code client}, and
     * closes the proxy when the client is done.
     */
    public static <T> T throughProxy(URI upstream, String adminToken, Function<URI, T> client) {
        // snippet:start gremlin-proxy
        try (GremlinProxy proxy = GremlinProxy.builder(upstream) // for example http://127.0.0.1:8080
                .gremlin(Gremlin.builder(42)
                        .spec(GremlinSpec.parse("error(503) after route=\"POST /payments\""))
                        .build())
                .adminToken(adminToken) // GET|PUT /admin/gremlin behind it; or none
                .build()
                .start()) {
            return client.apply(proxy.uri()); // the client talks to proxy.uri()
        }
        // snippet:end gremlin-proxy
    }

    /** An OkHttp client whose gremlin (seed 7) resets one call in ten, reproducibly. */
    public static OkHttpClient clientThatResetsOneCallInTen() {
        // snippet:start gremlin-interceptor
        OkHttpClient client = new OkHttpClient.Builder()
                .addInterceptor(GremlinInterceptor.of(Gremlin.builder(7)
                        .spec(GremlinSpec.parse("reset p=0.1"))
                        .build()))
                .callTimeout(Duration.ofSeconds(2))
                .build();
        // snippet:end gremlin-interceptor
        return client;
    }
}
