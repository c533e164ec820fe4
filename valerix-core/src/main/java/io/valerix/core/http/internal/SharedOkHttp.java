package io.valerix.core.http.internal;

import java.time.Duration;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/** The OkHttp client every {@code JsonClient} shares unless given another: one pool per JVM. */
public final class SharedOkHttp {

    private static final OkHttpClient CLIENT = create();

    private SharedOkHttp() {}

    public static OkHttpClient client() {
        return CLIENT;
    }

    private static OkHttpClient create() {
        Dispatcher dispatcher = new Dispatcher();
        // Synchronous calls are not limited by the dispatcher; these bound only async use.
        dispatcher.setMaxRequests(1024);
        dispatcher.setMaxRequestsPerHost(1024);
        return new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                // Idle connections are let go well before the JDK server's 30 s idle timeout closes them,
                // since with retryOnConnectionFailure off a stale pooled connection would fail a call.
                .connectionPool(new ConnectionPool(64, 10, java.util.concurrent.TimeUnit.SECONDS))
                // Deadlines govern calls; these only stop a call that has no deadline from hanging forever.
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO)
                .callTimeout(Duration.ZERO)
                // Retries are the RetryPolicy's decision alone: OkHttp's silent retry would resend a
                // non-idempotent request behind our back.
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .build();
    }
}
