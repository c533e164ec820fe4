package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.deadline.Deadline;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.ProblemException;
import io.valerix.core.testing.DatabaseEngine;
import io.valerix.core.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Listing orders for audits: by prefix, in pages ordered by id, over the service and GET /admin/orders. */
@ParameterizedClass
@EnumSource(DatabaseEngine.class)
class OrderListingTest {

    @Parameter
    DatabaseEngine engine;

    @TempDir
    Path dir;

    private TestDatabase database;

    private ScriptedInventory inventory;
    private HikariDataSource db;
    private OrderService service;

    @BeforeEach
    void start() {
        inventory = new ScriptedInventory();
        database = engine.create(dir, "orders");
        db = database.open(8);
        service = OrderService.builder()
                .dataSource(db)
                .inventory(new HttpInventoryClient(inventory.uri(), ServiceTokens.SERVICE_TOKEN, (d, r, o, n) -> {}))
                // Generous: these orders must confirm in time; the listing, not the deadline, is under test
                // (a PostgreSQL pool's first connections and a cold JVM took more than 300 ms here).
                .timeout(Duration.ofSeconds(5))
                .build();
        for (String id : List.of("run_1-3", "run_1-1", "run_1-2", "runX1-9", "other-1")) {
            service.place(id, "A", 1, Deadline.after(Duration.ofSeconds(5)));
        }
    }

    @AfterEach
    void stop() {
        inventory.close();
        db.close();
    }

    @Test
    void listsTheOrdersOfAPrefixInPagesOrderedById() {
        List<String> ids = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 10; pages++) {
            List<Order> page = service.list("run_1-", after, 2);
            page.forEach(o -> ids.add(o.orderId() + ":" + o.status()));
            if (page.size() < 2) {
                break;
            }
            after = page.get(page.size() - 1).orderId();
        }

        // '_' in the prefix is a literal, not a LIKE wildcard: runX1-9 is not listed.
        assertThat(ids).containsExactly("run_1-1:CONFIRMED", "run_1-2:CONFIRMED", "run_1-3:CONFIRMED");
        assertThat(service.list("", null, 1000)).hasSize(5);
    }

    @Test
    void aBadPrefixOrLimitIsRefused() {
        assertThatThrownBy(() -> service.list("a%b", null, 10))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("prefix");
        assertThatThrownBy(() -> service.list("", null, 0))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> service.list("", null, OrderService.MAX_PAGE + 1))
                .isInstanceOf(ProblemException.class);
    }

    @Test
    void theAdminRouteServesPagesWithTheNextCursor() throws Exception {
        try (JsonServer server = OrderHttpApi.install(JsonServer.builder().port(0), service)
                        .build()
                        .start();
                HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> first = client.send(
                    HttpRequest.newBuilder(URI.create(server.uri() + "/admin/orders?prefix=run_1-&limit=2"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> last = client.send(
                    HttpRequest.newBuilder(
                                    URI.create(server.uri() + "/admin/orders?prefix=run_1-&limit=2&after=run_1-2"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> bad = client.send(
                    HttpRequest.newBuilder(URI.create(server.uri() + "/admin/orders?limit=x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body())
                    .contains("\"orderId\":\"run_1-1\"", "\"orderId\":\"run_1-2\"", "\"next\":\"run_1-2\"")
                    .doesNotContain("run_1-3");
            assertThat(last.body()).contains("\"orderId\":\"run_1-3\"", "\"next\":null");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("urn:valerix:problem:invalid-order");
        }
    }
}
