package io.valerix.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.valerix.core.deadline.Deadline;
import io.valerix.core.http.Json;
import io.valerix.core.http.JsonClient;
import io.valerix.core.http.JsonRequest;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * One JSON request and reply over loopback, a small reservation-shaped body each way: Valerix's
 * {@link JsonServer} and {@link JsonClient} (routing, deadline header, time limiter, problem
 * mapping, strict JSON parsing) beside a bare JDK {@code HttpServer} and a bare OkHttp client doing
 * the same Jackson work by hand. Both servers run one virtual thread per request; both clients
 * keep the connection alive. The difference is what Valerix's plumbing costs per call.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar JsonRoundTripBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xmx1g", "-Djava.net.preferIPv4Stack=true"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class JsonRoundTripBenchmark {

  /** The body sent and echoed back. */
  public record Item(String orderId, String sku, int quantity, String status) {}

  private static final MediaType JSON = MediaType.get("application/json");
  private static final Item ITEM = new Item("o-12345", "widget", 3, "RESERVED");

  private JsonServer valerixServer;
  private JsonClient valerixClient;
  private HttpServer bareServer;
  private ExecutorService bareExecutor;
  private OkHttpClient bareClient;
  private String bareUrl;
  private ObjectMapper mapper;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    mapper = Json.newMapper();
    valerixServer = JsonServer.builder()
        .name("echo")
        .port(0)
        .route("PUT", "/items/{orderId}", request -> Response.json(200, request.bodyAs(Item.class)))
        .build()
        .start();
    valerixClient = JsonClient.builder(valerixServer.uri()).name("echo").build();

    bareServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    bareExecutor = Executors.newVirtualThreadPerTaskExecutor();
    bareServer.setExecutor(bareExecutor);
    bareServer.createContext("/items/", exchange -> {
      Item item;
      try (InputStream in = exchange.getRequestBody()) {
        item = mapper.readValue(in, Item.class);
      }
      byte[] reply = mapper.writeValueAsBytes(item);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, reply.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(reply);
      }
    });
    bareServer.start();
    bareUrl = "http://127.0.0.1:" + bareServer.getAddress().getPort() + "/items/o-12345";
    bareClient = new OkHttpClient.Builder()
        .connectionPool(new ConnectionPool(8, 10, TimeUnit.SECONDS))
        .retryOnConnectionFailure(false)
        .build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    valerixServer.close();
    bareServer.stop(0);
    bareExecutor.shutdownNow();
    bareClient.dispatcher().executorService().shutdown();
    bareClient.connectionPool().evictAll();
  }

  @Benchmark
  public Item valerixJsonServerAndClient() {
    return valerixClient.send(JsonRequest.put(ITEM, "/items/{orderId}", ITEM.orderId()), Item.class,
        Deadline.after(Duration.ofSeconds(5))).body();
  }

  @Benchmark
  public Item bareJdkHttpServerAndOkHttp() throws IOException {
    Request request = new Request.Builder().url(bareUrl).put(RequestBody.create(mapper.writeValueAsBytes(ITEM), JSON)).build();
    try (okhttp3.Response response = bareClient.newCall(request).execute()) {
      if (response.code() != 200) {
        throw new IOException("echo answered " + response.code());
      }
      return mapper.readValue(response.body().bytes(), Item.class);
    }
  }
}
