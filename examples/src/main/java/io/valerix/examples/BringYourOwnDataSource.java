package io.valerix.examples;

import io.valerix.core.health.DatabaseHealthCheck;
import io.valerix.core.health.HealthCheck;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.Response;
import io.valerix.core.idempotency.IdempotencyConfig;
import io.valerix.core.idempotency.IdempotencyFilter;
import io.valerix.core.idempotency.IdempotencyStore;
import io.valerix.core.jdbc.SchemaMigrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.h2.jdbcx.JdbcDataSource;

/**
 * valerix-core's JDBC features on a {@link DataSource} of your own, without HikariCP: the
 * idempotency store, its migrations and the database health check. Here the data source is H2's
 * own unpooled one; yours may be any pool and driver.
 *
 * <p>The acceptance test runs it in a fresh project whose class path has valerix-core and H2 but
 * no HikariCP, which is how it proves that HikariCP is optional. Run it: {@code java -cp ...
 * io.valerix.examples.BringYourOwnDataSource}; it prints what happened to two requests with one key.
 */
public final class BringYourOwnDataSource {

    private BringYourOwnDataSource() {}

    /** What two requests with one key got, and what the health check said. */
    public record Outcome(int firstStatus, boolean secondReplayed, int handlerRuns, HealthCheck.Result database) {}

    /** Two POSTs with one Idempotency-Key to a server whose keys live in {@code dataSource}. */
    public static Outcome run(DataSource dataSource) {
        SchemaMigrations.migrate(dataSource, IdempotencyStore.SCHEMA);
        IdempotencyFilter idempotency = IdempotencyFilter.of(
                IdempotencyStore.of(dataSource),
                IdempotencyConfig.builder().routes("POST /greetings").build());
        AtomicInteger runs = new AtomicInteger();
        OkHttpClient client = new OkHttpClient();
        try (JsonServer server = JsonServer.builder()
                        .port(0)
                        .filter(idempotency)
                        .route(
                                "POST",
                                "/greetings",
                                request -> Response.json(201, Map.of("run", runs.incrementAndGet())))
                        .build()
                        .start();
                DatabaseHealthCheck database = DatabaseHealthCheck.dedicatedTo(dataSource)) {
            Request post = new Request.Builder()
                    .url(server.uri().resolve("/greetings").toString())
                    .header("Idempotency-Key", "hello-1")
                    .post(RequestBody.create("{\"to\":\"world\"}", MediaType.get("application/json")))
                    .build();
            int firstStatus;
            try (okhttp3.Response first = client.newCall(post).execute()) {
                firstStatus = first.code();
            }
            boolean replayed;
            try (okhttp3.Response second = client.newCall(post).execute()) {
                replayed = "true".equals(second.header("Idempotent-Replayed"));
            }
            return new Outcome(firstStatus, replayed, runs.get(), database.check());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    /** H2's plain data source for an in-memory database, in the mode Valerix's SQL is written for. */
    public static DataSource inMemoryH2(String name) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + name
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        return h2;
    }

    public static void main(String[] args) {
        boolean hikariPresent;
        try {
            Class.forName("com.zaxxer.hikari.HikariDataSource");
            hikariPresent = true;
        } catch (ClassNotFoundException e) {
            hikariPresent = false;
        }
        Outcome outcome = run(inMemoryH2("byo"));
        // An example's own output: printing is what it is for.
        System.out.printf(
                "hikari=%s first=%d replayed=%s runs=%d database=%s%n",
                hikariPresent,
                outcome.firstStatus(),
                outcome.secondReplayed(),
                outcome.handlerRuns(),
                outcome.database().status());
    }
}
