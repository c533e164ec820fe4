package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.core.gremlin.GremlinDecision;
import io.valerix.core.http.ProblemType;
import io.valerix.core.idempotency.IdempotencyProblems;
import io.valerix.core.testing.OpenApiDocument;
import io.valerix.core.testing.RawHttp;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keeps {@code api/openapi.yaml} true to what the order service serves: drives a real order
 * server into every answer it gives (each status and problem type of each route) and checks
 * the document lists each one where it belongs.
 */
class OrderOpenApiDocumentTest {

    private static final String PROBLEM = "urn:valerix:problem:";

    @RegisterExtension
    final RunningServices running = new RunningServices();

    private static OpenApiDocument openApi;
    private static JsonNode document;

    /** One answer the order service gave: to which route (null when none matched), with what. */
    record Answer(String method, String route, int status, String problemType) {

        @Override
        public String toString() {
            return method + " " + route + " -> " + status + (problemType == null ? "" : " " + problemType);
        }
    }

    @BeforeAll
    static void read() {
        openApi = OpenApiDocument.read();
        document = openApi.root();
    }

    @Test
    void theOrderServicesRoutesAreDocumentedAsTheyAreServed() {
        Set<String> documented = openApi.routes();

        assertThat(documented)
                .filteredOn(route -> route.contains(" /orders"))
                .containsExactlyInAnyOrder("POST /orders", "GET /orders/{orderId}");
        assertThat(documented).contains("GET /health", "GET /metrics", "GET /admin/gremlin", "PUT /admin/gremlin");
    }

    @Test
    void everyOrderAndIdempotencyProblemTypeIsDocumentedWithItsStatus() throws Exception {
        SoftAssertions softly = new SoftAssertions();
        for (Class<?> owner : List.of(OrderProblems.class, IdempotencyProblems.class)) {
            for (Field field : owner.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == ProblemType.class) {
                    ProblemType type = (ProblemType) field.get(null);
                    String slug = type.type().toString().substring(PROBLEM.length());
                    boolean found = describes(response("post", "/orders", type.status()), slug)
                            || describes(response("get", "/orders/{orderId}", type.status()), slug);
                    softly.assertThat(found)
                            .as(
                                    "%s.%s (%s, %d) under an order route",
                                    owner.getSimpleName(), field.getName(), slug, type.status())
                            .isTrue();
                }
            }
        }
        softly.assertAll();
    }

    @Test
    void theHeadersOfPlacingAnOrderAreDocumented() {
        JsonNode post = document.at("/paths/~1orders/post");
        List<String> parameters = new ArrayList<>();
        post.path("parameters")
                .forEach(p -> parameters.add(openApi.resolve(p).path("name").asText()));

        assertThat(parameters).contains("Idempotency-Key", "Valerix-Budget-Ms");
        for (String status : List.of("200", "201")) {
            assertThat(names(post.at("/responses/" + status + "/headers")))
                    .as(status)
                    .contains("Location", "Idempotent-Replayed");
        }
        assertThat(names(post.at("/responses/202/headers"))).contains("Location");
        assertThat(names(post.at("/responses/409/headers"))).contains("Retry-After");
        assertThat(names(post.at("/responses/503/headers"))).contains("Retry-After");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyAnswerTheOrderServiceGivesIsDocumented() throws Exception {
        // Given an order service as it runs (its kit serves /health and /metrics), one inventory call at a time
        RunningServices.Services services = running.start(s -> s.stock("widget=100")
                .gremlin("fixed(1500ms) before route=\"PUT /reservations/*\"")
                .timeout(Duration.ofSeconds(2))
                .order(order -> order.maxConcurrentInventoryCalls(1)));
        List<Answer> answers = new ArrayList<>();
        String widget = OrderHttp.order("widget", 1);

        // When it is driven into every answer it gives: while one order waits on inventory, its key
        // is in progress and there is no room for another
        ExecutorService client = Executors.newSingleThreadExecutor();
        Future<RawHttp.Reply> first = client.submit(() -> OrderHttp.placeOrder(services.orderUri(), "a", widget));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> services.gremlin().recentDecisions().stream()
                        .map(GremlinDecision::method)
                        .anyMatch("PUT"::equals));
        answers.add(post("/orders", OrderHttp.placeOrder(services.orderUri(), "a", widget)));
        answers.add(post("/orders", OrderHttp.placeOrder(services.orderUri(), "b", widget)));
        answers.add(post("/orders", first.get(10, TimeUnit.SECONDS)));
        client.shutdown();
        answers.add(post("/orders", OrderHttp.placeOrder(services.orderUri(), "a", widget)));
        String placed = OrderHttpApi.orderIdForKey("a");

        // an order inventory is too slow for, and how it reads before and after it settles
        services.gremlin("fixed(3s) after route=\"PUT /reservations/*\"");
        RawHttp.Reply pending = OrderHttp.placeOrder(services.orderUri(), "c", widget);
        answers.add(post("/orders", pending));
        answers.add(get("/orders/{orderId}", OrderHttp.getOrder(services.orderUri(), pending.field("orderId"))));
        await().atMost(Duration.ofSeconds(15))
                .until(() ->
                        services.orderNamed(pending.field("orderId")).status().isFinal());
        answers.add(post("/orders", OrderHttp.placeOrder(services.orderUri(), "c", widget)));
        services.gremlin("none");

        // bad requests of every kind
        answers.add(post("/orders", OrderHttp.placeOrder(services.orderUri(), null, widget)));
        answers.add(post("/orders", OrderHttp.placeOrder(services.orderUri(), "k".repeat(256), widget)));
        answers.add(post("/orders", OrderHttp.placeOrder(services.orderUri(), "d", "{\"sku\":")));
        answers.add(post("/orders", OrderHttp.placeOrder(services.orderUri(), "d", "[]")));
        answers.add(post("/orders", OrderHttp.placeOrder(services.orderUri(), "d", OrderHttp.order("widget", 0))));
        answers.add(
                post("/orders", OrderHttp.placeOrder(services.orderUri(), "d", widget, "Valerix-Budget-Ms", "soon")));
        answers.add(post("/orders", OrderHttp.placeOrder(services.orderUri(), "d", OrderHttp.order("nothing", 1))));
        answers.add(post(
                "/orders",
                OrderHttp.placeOrder(
                        services.orderUri(),
                        "d",
                        "{\"orderId\":\"" + placed + "\",\"sku\":\"widget\",\"quantity\":2}")));
        answers.add(post("/orders", OrderHttp.placeOrder(services.orderUri(), "a", OrderHttp.order("widget", 2))));
        answers.add(post(
                "/orders",
                RawHttp.send(services.orderUri(), "POST", "/orders", "text/plain", widget, "Idempotency-Key", "d")));
        answers.add(post(
                "/orders",
                RawHttp.send(
                        services.orderUri(),
                        "POST",
                        "/orders",
                        RawHttp.JSON,
                        "{\"pad\":\"" + "x".repeat(70_000) + "\"}",
                        "Idempotency-Key",
                        "d",
                        "Connection",
                        "close")));
        answers.add(post(
                "/orders", OrderHttp.placeOrder(services.orderUri(), "d", widget, "X-Padding", "p".repeat(17_000))));
        answers.add(post("/orders", OrderHttp.placeOrder(services.orderUri(), "d", widget, "Valerix-Budget-Ms", "0")));
        answers.add(get("/orders/{orderId}", OrderHttp.getOrder(services.orderUri(), "nobody")));
        answers.add(get(
                "/orders/{orderId}",
                RawHttp.send(
                        services.orderUri(), "GET", "/orders/" + placed, null, null, "Valerix-Budget-Ms", "soon")));
        answers.add(get(
                "/orders/{orderId}",
                RawHttp.send(
                        services.orderUri(), "GET", "/orders/" + placed, null, null, "X-Padding", "p".repeat(17_000))));
        answers.add(get(
                "/orders/{orderId}",
                RawHttp.send(services.orderUri(), "GET", "/orders/" + placed, null, null, "Valerix-Budget-Ms", "0")));
        answers.add(
                answer("PUT", "/orders", RawHttp.send(services.orderUri(), "PUT", "/orders", RawHttp.JSON, widget)));
        answers.add(answer(
                "DELETE",
                "/orders/{orderId}",
                RawHttp.send(services.orderUri(), "DELETE", "/orders/" + placed, null, null)));
        answers.add(answer("GET", null, RawHttp.send(services.orderUri(), "GET", "/order", null, null)));
        answers.add(get("/health", RawHttp.send(services.orderUri(), "GET", "/health", null, null)));
        answers.add(get("/metrics", RawHttp.send(services.orderUri(), "GET", "/metrics", null, null)));

        // and with its database gone
        services.orderDb().close();
        answers.add(post("/orders", OrderHttp.placeOrder(services.orderUri(), "e", widget)));
        answers.add(get("/orders/{orderId}", OrderHttp.getOrder(services.orderUri(), placed)));
        answers.add(get("/health", RawHttp.send(services.orderUri(), "GET", "/health", null, null)));

        // Then the document has each of them where it belongs
        assertThat(answers)
                .extracting(Answer::status)
                .contains(200, 201, 202, 400, 404, 405, 409, 413, 415, 422, 431, 500, 503, 504);
        SoftAssertions softly = new SoftAssertions();
        for (Answer answer : answers) {
            softly.assertThat(documented(answer)).as("%s is documented", answer).isTrue();
        }
        softly.assertAll();
    }

    /** True if the document lists the answer's status for its route, naming its problem type. */
    private static boolean documented(Answer answer) {
        String slug = answer.problemType() == null ? null : answer.problemType().substring(PROBLEM.length());
        if (answer.route() == null) {
            return answer.status() == 404
                    && document.at("/info/description").asText().contains("404 `" + slug + "`");
        }
        JsonNode path = document.path("paths").path(answer.route());
        JsonNode operation = path.path(answer.method().toLowerCase(Locale.ROOT));
        if (operation.isMissingNode()) {
            return answer.status() == 405 && path.path("description").asText().contains("405 `" + slug + "`");
        }
        JsonNode response = response(answer.method().toLowerCase(Locale.ROOT), answer.route(), answer.status());
        return !response.isMissingNode() && (slug == null || describes(response, slug));
    }

    private static JsonNode response(String method, String route, int status) {
        return openApi.response(method.toUpperCase(Locale.ROOT) + " " + route, status);
    }

    private static boolean describes(JsonNode response, String slug) {
        return response.path("description").asText().contains("`" + slug + "`");
    }

    private static List<String> names(JsonNode headers) {
        List<String> names = new ArrayList<>();
        headers.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Answer post(String route, RawHttp.Reply reply) {
        return answer("POST", route, reply);
    }

    private static Answer get(String route, RawHttp.Reply reply) {
        return answer("GET", route, reply);
    }

    private static Answer answer(String method, String route, RawHttp.Reply reply) {
        String contentType = reply.header("Content-Type");
        String type =
                contentType != null && contentType.startsWith("application/problem+json") ? reply.problemType() : null;
        return new Answer(method, route, reply.status(), type);
    }
}
