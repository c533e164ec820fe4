package io.valerix.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.http.ValerixHeaders;
import io.valerix.core.testing.RawHttp;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input over HTTP: the exact status and problem type, and not one row written
 * or changed.
 */
class BadInputHttpTest {

    private static final String JSON = "application/json";

    @RegisterExtension
    final InventoryServerExtension inventory =
            InventoryServerExtension.withStock("widget=10,gadget=2").maxQuantity(1000);

    @BeforeEach
    void existingReservation() {
        InventoryHttp.reserve(inventory.uri(), "o-existing", "widget", 2);
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad(
                        "order id with a space",
                        "PUT",
                        "/reservations/bad%20id",
                        JSON,
                        body("widget", "1"),
                        400,
                        "invalid-order-id"),
                bad(
                        "order id of 256 characters",
                        "PUT",
                        "/reservations/" + "x".repeat(256),
                        JSON,
                        body("widget", "1"),
                        400,
                        "invalid-order-id"),
                bad(
                        "order id with an encoded slash",
                        "PUT",
                        "/reservations/o%2F1",
                        JSON,
                        body("widget", "1"),
                        400,
                        "invalid-order-id"),
                bad(
                        "order id with a non-ASCII letter",
                        "PUT",
                        "/reservations/%C3%B6",
                        JSON,
                        body("widget", "1"),
                        400,
                        "invalid-order-id"),
                bad(
                        "order id with a newline",
                        "PUT",
                        "/reservations/o%0A1",
                        JSON,
                        body("widget", "1"),
                        400,
                        "invalid-order-id"),
                bad(
                        "order id with a space, read",
                        "GET",
                        "/reservations/bad%20id",
                        null,
                        null,
                        400,
                        "invalid-order-id"),
                bad(
                        "order id with a space, released",
                        "DELETE",
                        "/reservations/bad%20id",
                        null,
                        null,
                        400,
                        "invalid-order-id"),
                bad("sku with a space", "PUT", "/reservations/o-1", JSON, body("wid get", "1"), 400, "invalid-sku"),
                bad(
                        "sku of 65 characters",
                        "PUT",
                        "/reservations/o-1",
                        JSON,
                        body("w".repeat(65), "1"),
                        400,
                        "invalid-sku"),
                bad("sku missing", "PUT", "/reservations/o-1", JSON, "{\"quantity\":1}", 400, "invalid-sku"),
                bad("sku empty", "PUT", "/reservations/o-1", JSON, body("", "1"), 400, "invalid-sku"),
                bad("sku not stocked", "PUT", "/reservations/o-1", JSON, body("nothing", "1"), 422, "unknown-sku"),
                bad("quantity zero", "PUT", "/reservations/o-1", JSON, body("widget", "0"), 400, "invalid-quantity"),
                bad(
                        "quantity negative",
                        "PUT",
                        "/reservations/o-1",
                        JSON,
                        body("widget", "-1"),
                        400,
                        "invalid-quantity"),
                bad(
                        "quantity above the maximum",
                        "PUT",
                        "/reservations/o-1",
                        JSON,
                        body("widget", "1001"),
                        400,
                        "invalid-quantity"),
                bad(
                        "quantity beyond an int",
                        "PUT",
                        "/reservations/o-1",
                        JSON,
                        body("widget", "99999999999"),
                        400,
                        "invalid-quantity"),
                bad(
                        "quantity missing",
                        "PUT",
                        "/reservations/o-1",
                        JSON,
                        "{\"sku\":\"widget\"}",
                        400,
                        "invalid-quantity"),
                bad(
                        "quantity a fraction",
                        "PUT",
                        "/reservations/o-1",
                        JSON,
                        body("widget", "1.5"),
                        400,
                        "invalid-request"),
                bad(
                        "quantity a string",
                        "PUT",
                        "/reservations/o-1",
                        JSON,
                        body("widget", "\"2\""),
                        400,
                        "invalid-request"),
                bad("body not JSON", "PUT", "/reservations/o-1", JSON, "{sku: widget", 400, "malformed-json"),
                bad("body empty", "PUT", "/reservations/o-1", JSON, "", 400, "malformed-json"),
                bad(
                        "body and content type missing",
                        "PUT",
                        "/reservations/o-1",
                        null,
                        null,
                        415,
                        "unsupported-media-type"),
                bad("body an array", "PUT", "/reservations/o-1", JSON, "[]", 400, "invalid-request"),
                bad(
                        "body not declared JSON",
                        "PUT",
                        "/reservations/o-1",
                        "text/plain",
                        body("widget", "1"),
                        415,
                        "unsupported-media-type"),
                bad(
                        "body too large",
                        "PUT",
                        "/reservations/o-1",
                        JSON,
                        "{\"sku\":\"" + "w".repeat(70_000) + "\",\"quantity\":1}",
                        413,
                        "payload-too-large"),
                bad(
                        "same order, other quantity",
                        "PUT",
                        "/reservations/o-existing",
                        JSON,
                        body("widget", "3"),
                        422,
                        "reservation-conflict"),
                bad(
                        "same order, other sku",
                        "PUT",
                        "/reservations/o-existing",
                        JSON,
                        body("gadget", "2"),
                        422,
                        "reservation-conflict"),
                bad("stock of a malformed sku", "GET", "/inventory/wid%20get", null, null, 400, "invalid-sku"),
                bad("stock of an unknown sku", "GET", "/inventory/nothing", null, null, 404, "sku-not-found"),
                bad("reservation never made", "GET", "/reservations/never", null, null, 404, "reservation-not-found"),
                bad(
                        "method not served",
                        "POST",
                        "/reservations/o-1",
                        JSON,
                        body("widget", "1"),
                        405,
                        "method-not-allowed"),
                bad("path not served", "PUT", "/reservations/", JSON, body("widget", "1"), 404, "not-found"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInputIsRefusedWithItsProblemTypeAndChangesNothing(
            String name, String method, String path, String contentType, String body, int status, String type) {
        List<String> before = inventory.snapshot();

        RawHttp.Reply reply = InventoryHttp.send(inventory.uri(), method, path, contentType, body);

        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.problemType()).isEqualTo("urn:valerix:problem:" + type);
        assertThat(inventory.snapshot()).isEqualTo(before);
    }

    @ParameterizedTest(name = "budget {0}")
    @MethodSource("badBudgets")
    void reserveWithABadOrSpentBudgetIsRefusedAndChangesNothing(String budget, int status, String type) {
        List<String> before = inventory.snapshot();

        RawHttp.Reply reply =
                InventoryHttp.reserve(inventory.uri(), "o-1", "widget", 1, ValerixHeaders.BUDGET_MS, budget);

        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.problemType()).isEqualTo("urn:valerix:problem:" + type);
        assertThat(inventory.snapshot()).isEqualTo(before);
    }

    static Stream<Arguments> badBudgets() {
        return Stream.of(Arguments.of("0", 504, "deadline-exceeded"), Arguments.of("soon", 400, "invalid-request"));
    }

    private static Arguments bad(
            String name, String method, String path, String contentType, String body, int status, String type) {
        return Arguments.of(name, method, path, contentType, body, status, type);
    }

    private static String body(String sku, String quantity) {
        return "{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}";
    }
}
