package io.valerix.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.core.http.Json;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Requests per second over loopback: Valerix's {@link JsonServer} (Jetty 12 underneath, plus
 * routing, the deadline, body limits, admission and problem mapping) beside a bare Jetty handler
 * doing the same Jackson work by hand, on the same threading model (Jetty's selector on platform
 * threads, one virtual thread per request). Two shapes: a JSON echo (PUT with a small
 * reservation-shaped body, read back) and a {@code /health}-like GET. The same OkHttp client,
 * keep-alive, drives every variant, so the ratio is the server's cost.
 *
 * <p>Each shape is a JMH group ({@code echo}, {@code health}): the Valerix method and the bare
 * Jetty method run at the same time, each from two client threads. The goal is a ratio, and
 * measured one after the other the two sides met different moments of a noisy machine (one quick
 * run put {@code /health} at 0.64&times; where others gave 0.84 to 0.92&times;); in the same
 * window any drift of the machine hits both sides alike, so the ratio is the servers' and not the
 * machine's. The price: each side's absolute requests/s is measured while the other side runs too,
 * sharing the cores, so it is lower than either server alone would reach. JMH reports each method
 * as a secondary result of its group ({@code health:valerixHealth}); the group's primary score is
 * the two together, and {@code -prof gc}'s B/op is per request of the whole group.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar JsonRoundTripBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xmx1g", "-Djava.net.preferIPv4Stack=true"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class JsonRoundTripBenchmark {

    /** The body sent and echoed back. */
    public record Item(String orderId, String sku, int quantity, String status) {}

    private static final MediaType JSON = MediaType.get("application/json");
    private static final Item ITEM = new Item("o-12345", "widget", 3, "RESERVED");
    private static final Map<String, Object> HEALTH = Map.of("status", "UP", "light", "GREEN");

    private ObjectMapper mapper;
    private byte[] itemBytes;
    private JsonServer valerixServer;
    private Server bareServer;
    private ExecutorService bareVirtualThreads;
    private OkHttpClient client;
    private String valerixItemUrl;
    private String valerixHealthUrl;
    private String bareItemUrl;
    private String bareHealthUrl;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        mapper = Json.newMapper();
        itemBytes = mapper.writeValueAsBytes(ITEM);
        valerixServer = JsonServer.builder()
                .name("echo")
                .route("PUT", "/items/{orderId}", request -> Response.json(200, request.bodyAs(Item.class)))
                .route("GET", "/health", request -> Response.json(200, HEALTH))
                .build()
                .start();
        valerixItemUrl = valerixServer.uri() + "/items/o-12345";
        valerixHealthUrl = valerixServer.uri() + "/health";

        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        bareVirtualThreads = Executors.newVirtualThreadPerTaskExecutor();
        threads.setVirtualThreadsExecutor(bareVirtualThreads);
        bareServer = new Server(threads);
        ServerConnector connector = new ServerConnector(bareServer);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        bareServer.addConnector(connector);
        bareServer.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(
                    org.eclipse.jetty.server.Request request,
                    org.eclipse.jetty.server.Response response,
                    Callback callback)
                    throws IOException {
                byte[] reply;
                if (request.getHttpURI().getPath().startsWith("/items/")) {
                    try (InputStream in = Content.Source.asInputStream(request)) {
                        reply = mapper.writeValueAsBytes(mapper.readValue(in, Item.class));
                    }
                } else {
                    reply = mapper.writeValueAsBytes(HEALTH);
                }
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.length);
                response.write(true, ByteBuffer.wrap(reply), callback);
                return true;
            }
        });
        bareServer.start();
        bareItemUrl = "http://127.0.0.1:" + connector.getLocalPort() + "/items/o-12345";
        bareHealthUrl = "http://127.0.0.1:" + connector.getLocalPort() + "/health";

        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequestsPerHost(64);
        client = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(16, 10, TimeUnit.SECONDS))
                .retryOnConnectionFailure(false)
                .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        valerixServer.close();
        bareServer.stop();
        bareVirtualThreads.shutdownNow();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    @Benchmark
    @Group("echo")
    @GroupThreads(2)
    public Item valerixJsonEcho() throws IOException {
        return echo(valerixItemUrl);
    }

    @Benchmark
    @Group("echo")
    @GroupThreads(2)
    public Item bareJettyJsonEcho() throws IOException {
        return echo(bareItemUrl);
    }

    @Benchmark
    @Group("health")
    @GroupThreads(2)
    public int valerixHealth() throws IOException {
        return get(valerixHealthUrl);
    }

    @Benchmark
    @Group("health")
    @GroupThreads(2)
    public int bareJettyHealth() throws IOException {
        return get(bareHealthUrl);
    }

    private Item echo(String url) throws IOException {
        Request request = new Request.Builder()
                .url(url)
                .put(RequestBody.create(itemBytes, JSON))
                .build();
        try (okhttp3.Response response = client.newCall(request).execute()) {
            if (response.code() != 200) {
                throw new IOException("echo answered " + response.code());
            }
            return mapper.readValue(response.body().bytes(), Item.class);
        }
    }

    private int get(String url) throws IOException {
        try (okhttp3.Response response =
                client.newCall(new Request.Builder().url(url).build()).execute()) {
            if (response.code() != 200) {
                throw new IOException("health answered " + response.code());
            }
            return response.body().bytes().length;
        }
    }
}
