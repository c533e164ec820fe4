package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.testing.RawHttp;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input over HTTP: each gets its exact status and problem type, and changes nothing: no
 * order, no idempotency record, no reservation at inventory.
 */
class BadInputHttpTest {

    private static final String KEY = OrderHttp.IDEMPOTENCY_KEY;
    private static final String P = "urn:valerix:problem:";

    @RegisterExtension
    static final RunningServices running = RunningServices.perClass();

    private static RunningServices.Services services;

    /** One bad request and what it must get. */
    record Case(
            String name,
            String method,
            String path,
            String contentType,
            String body,
            List<String> headers,
            int status,
            String type) {

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() {
        services = running.start(s -> s.stock("widget=100").timeout(Duration.ofSeconds(2)));
        // An order that exists, for the cases that collide with it.
        RawHttp.Reply existing = OrderHttp.placeOrder(
                services.orderUri(), "existing", "{\"orderId\":\"o-1\",\"sku\":\"widget\",\"quantity\":2}");
        assertThat(existing.status()).isEqualTo(201);
    }

    static Stream<Case> badRequests() {
        String order = OrderHttp.order("widget", 1);
        return Stream.of(
                post("no key and no orderId", order, List.of(), 400, "idempotency-key-missing"),
                post("a 256-character key", order, List.of(KEY, "k".repeat(256)), 400, "invalid-idempotency-key"),
                post("an empty key", order, List.of(KEY, ""), 400, "invalid-idempotency-key"),
                post("the key sent twice", order, List.of(KEY, "a", KEY, "b"), 400, "invalid-idempotency-key"),
                post("a key with parameters", order, List.of(KEY, "\"a\";x=1"), 400, "invalid-idempotency-key"),
                post(
                        "a 256-character orderId and no key",
                        "{\"orderId\":\"" + "o".repeat(256) + "\",\"sku\":\"widget\",\"quantity\":1}",
                        List.of(),
                        400,
                        "invalid-idempotency-key"),
                keyed("malformed JSON", "{\"sku\":", 400, "malformed-json"),
                keyed("an empty body", "", 400, "malformed-json"),
                keyed(
                        "a member given twice",
                        "{\"sku\":\"widget\",\"sku\":\"gadget\",\"quantity\":1}",
                        400,
                        "malformed-json"),
                keyed("a JSON array", "[]", 400, "invalid-request"),
                keyed("JSON null", "null", 400, "invalid-request"),
                keyed("quantity 0", OrderHttp.order("widget", 0), 400, "invalid-order"),
                keyed("quantity -1", OrderHttp.order("widget", -1), 400, "invalid-order"),
                keyed("quantity above the maximum", OrderHttp.order("widget", 1001), 400, "invalid-order"),
                keyed("quantity as a string", "{\"sku\":\"widget\",\"quantity\":\"2\"}", 400, "invalid-request"),
                keyed("quantity a fraction", "{\"sku\":\"widget\",\"quantity\":1.5}", 400, "invalid-request"),
                keyed(
                        "quantity beyond an int",
                        "{\"sku\":\"widget\",\"quantity\":99999999999}",
                        400,
                        "invalid-request"),
                keyed("quantity missing", "{\"sku\":\"widget\"}", 400, "invalid-order"),
                keyed("sku missing", "{\"quantity\":1}", 400, "invalid-order"),
                keyed("sku malformed", OrderHttp.order("wid get", 1), 400, "invalid-order"),
                keyed(
                        "orderId malformed",
                        "{\"orderId\":\"bad id!\",\"sku\":\"widget\",\"quantity\":1}",
                        400,
                        "invalid-order"),
                keyed("an unknown SKU", OrderHttp.order("nothing", 1), 422, "unknown-sku"),
                keyed(
                        "an existing order id for another order",
                        "{\"orderId\":\"o-1\",\"sku\":\"widget\",\"quantity\":3}",
                        422,
                        "order-conflict"),
                post(
                        "the existing key for another order",
                        order,
                        List.of(KEY, "existing"),
                        422,
                        "idempotency-key-reused"),
                new Case(
                        "a text/plain body",
                        "POST",
                        "/orders",
                        "text/plain",
                        order,
                        List.of(KEY, "k-1"),
                        415,
                        "unsupported-media-type"),
                new Case(
                        "no content type",
                        "POST",
                        "/orders",
                        null,
                        order,
                        List.of(KEY, "k-1"),
                        415,
                        "unsupported-media-type"),
                // The server answers 413 without reading the body and then drops the connection, without
                // saying so (no "Connection: close"): this client must not reuse it.
                post(
                        "a body over 64 KiB",
                        "{\"sku\":\"widget\",\"quantity\":1,\"pad\":\"" + "x".repeat(70_000) + "\"}",
                        List.of(KEY, "k-1", "Connection", "close"),
                        413,
                        "payload-too-large"),
                post(
                        "headers over 16 KiB",
                        order,
                        List.of(KEY, "k-1", "X-Padding", "p".repeat(17_000)),
                        431,
                        "header-too-large"),
                post(
                        "a malformed budget",
                        order,
                        List.of(KEY, "k-1", "Valerix-Budget-Ms", "soon"),
                        400,
                        "invalid-request"),
                post("a spent budget", order, List.of(KEY, "k-1", "Valerix-Budget-Ms", "0"), 504, "deadline-exceeded"),
                new Case(
                        "PUT /orders",
                        "PUT",
                        "/orders",
                        RawHttp.JSON,
                        order,
                        List.of(KEY, "k-1"),
                        405,
                        "method-not-allowed"),
                new Case(
                        "DELETE /orders/o-1",
                        "DELETE",
                        "/orders/o-1",
                        null,
                        null,
                        List.of(),
                        405,
                        "method-not-allowed"),
                new Case(
                        "GET /orders/ of an unknown order",
                        "GET",
                        "/orders/o-2",
                        null,
                        null,
                        List.of(),
                        404,
                        "order-not-found"),
                new Case("POST /order", "POST", "/order", RawHttp.JSON, order, List.of(KEY, "k-1"), 404, "not-found"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void aBadRequestGetsItsProblemAndChangesNothing(Case bad) {
        List<String> orderTables = Tables.orderSnapshot(services.orderDb());
        List<String> inventoryTables = Tables.inventorySnapshot(services.inventoryDb());

        RawHttp.Reply reply = RawHttp.send(
                services.orderUri(),
                bad.method(),
                bad.path(),
                bad.contentType(),
                bad.body(),
                bad.headers().toArray(String[]::new));

        assertThat(reply.status()).as("%s", reply).isEqualTo(bad.status());
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(reply.problemType()).isEqualTo(P + bad.type());
        assertThat(Tables.orderSnapshot(services.orderDb()))
                .as("orders and idempotency records")
                .isEqualTo(orderTables);
        assertThat(Tables.inventorySnapshot(services.inventoryDb()))
                .as("stock and reservations")
                .isEqualTo(inventoryTables);
    }

    private static Case post(String name, String body, List<String> headers, int status, String type) {
        return new Case(name, "POST", "/orders", RawHttp.JSON, body, headers, status, type);
    }

    private static Case keyed(String name, String body, int status, String type) {
        return post(name, body, List.of(KEY, "k-1"), status, type);
    }
}
