package io.valerix.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every way a request can be wrong is answered as problem+json with a stable type, never a stack trace. */
class ProblemDetailsTest {

    record Item(String sku, int quantity) {
        Item {
            if (quantity <= 0) {
                throw new IllegalArgumentException("quantity must be positive, but was " + quantity);
            }
        }
    }

    private JsonServer server;

    @BeforeEach
    void start() {
        server = JsonServer.builder()
                .maxBodyBytes(1024)
                .route("PUT", "/items/{sku}", request -> Response.json(200, request.bodyAs(Item.class)))
                .route("GET", "/items/{sku}", request -> Response.json(200, new Item(request.pathParam("sku"), 1)))
                .route("GET", "/boom", request -> {
                    throw new IllegalStateException("secret connection string jdbc:h2:/var/db");
                })
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void malformedJsonIs400MalformedJsonWithTheLocation() {
        RawHttp.Reply reply = RawHttp.send(server.uri(), "PUT", "/items/a", "application/json", "{\"sku\": \"a\", ");

        assertProblem(reply, 400, "urn:valerix:problem:malformed-json");
        assertThat(reply.json().path("detail").asText()).contains("line 1");
    }

    @Test
    void wrongContentTypeIs415() {
        RawHttp.Reply reply =
                RawHttp.send(server.uri(), "PUT", "/items/a", "text/plain", "{\"sku\":\"a\",\"quantity\":1}");

        assertProblem(reply, 415, "urn:valerix:problem:unsupported-media-type");
    }

    @Test
    void bodyOverTheLimitIs413() {
        String big = "{\"sku\":\"" + "x".repeat(2000) + "\",\"quantity\":1}";

        RawHttp.Reply reply = RawHttp.send(server.uri(), "PUT", "/items/a", "application/json", big);

        assertProblem(reply, 413, "urn:valerix:problem:payload-too-large");
    }

    @Test
    void defaultBodyLimitIs64KiB() {
        try (JsonServer defaults = JsonServer.builder()
                .route("PUT", "/x", r -> Response.json(200, r.bodyAs(Item.class)))
                .build()
                .start()) {
            String justUnder = "{\"sku\":\"" + "x".repeat(64 * 1024 - 40) + "\",\"quantity\":1}";
            String over = "{\"sku\":\"" + "x".repeat(64 * 1024) + "\",\"quantity\":1}";

            assertThat(RawHttp.send(defaults.uri(), "PUT", "/x", "application/json", justUnder)
                            .status())
                    .isEqualTo(200);
            assertProblem(
                    RawHttp.send(defaults.uri(), "PUT", "/x", "application/json", over),
                    413,
                    "urn:valerix:problem:payload-too-large");
        }
    }

    @Test
    void unknownRouteIs404() {
        assertProblem(
                RawHttp.send(server.uri(), "GET", "/nothing/here", null, null), 404, "urn:valerix:problem:not-found");
    }

    @Test
    void wrongMethodIs405AndListsTheAllowedMethods() {
        RawHttp.Reply reply = RawHttp.send(server.uri(), "DELETE", "/items/a", null, null);

        assertProblem(reply, 405, "urn:valerix:problem:method-not-allowed");
        assertThat(reply.json().path("allowed").toString()).isEqualTo("[\"GET\",\"PUT\"]");
    }

    @Test
    void handlerFailureIs500WithoutStackTraceOrInternals() {
        RawHttp.Reply reply = RawHttp.send(server.uri(), "GET", "/boom", null, null);

        assertProblem(reply, 500, "urn:valerix:problem:internal");
        assertThat(reply.body()).doesNotContain("jdbc", "IllegalStateException", "at io.valerix", "secret");
    }

    @Test
    void fieldOfTheWrongTypeIs400InvalidRequestNamingTheField() {
        RawHttp.Reply reply = RawHttp.send(
                server.uri(), "PUT", "/items/a", "application/json", "{\"sku\":\"a\",\"quantity\":\"many\"}");

        assertProblem(reply, 400, "urn:valerix:problem:invalid-request");
        assertThat(reply.json().path("detail").asText()).contains("quantity").doesNotContain("java.");
    }

    @Test
    void aNumberWhereAStringBelongsIs400NotQuietlyConverted() {
        RawHttp.Reply reply =
                RawHttp.send(server.uri(), "PUT", "/items/a", "application/json", "{\"sku\":7,\"quantity\":1}");

        assertProblem(reply, 400, "urn:valerix:problem:invalid-request");
        assertThat(reply.json().path("detail").asText()).contains("sku");
    }

    @Test
    void validationInTheBodyTypeIs400WithItsMessage() {
        RawHttp.Reply reply =
                RawHttp.send(server.uri(), "PUT", "/items/a", "application/json", "{\"sku\":\"a\",\"quantity\":0}");

        assertProblem(reply, 400, "urn:valerix:problem:invalid-request");
        assertThat(reply.json().path("detail").asText()).isEqualTo("quantity must be positive, but was 0");
    }

    @Test
    void emptyAndDeeplyNestedAndDuplicateKeyBodiesAre400() {
        assertProblem(
                RawHttp.send(server.uri(), "PUT", "/items/a", "application/json", ""),
                400,
                "urn:valerix:problem:malformed-json");
        assertProblem(
                RawHttp.send(
                        server.uri(),
                        "PUT",
                        "/items/a",
                        "application/json",
                        "{\"sku\":\"a\",\"quantity\":1,\"x\":" + "[".repeat(100) + "]".repeat(100) + "}"),
                400,
                "urn:valerix:problem:malformed-json");
        assertProblem(
                RawHttp.send(
                        server.uri(),
                        "PUT",
                        "/items/a",
                        "application/json",
                        "{\"sku\":\"a\",\"sku\":\"b\",\"quantity\":1}"),
                400,
                "urn:valerix:problem:malformed-json");
    }

    @Test
    void malformedPercentEscapeInThePathIs400NotA500() {
        RawHttp.Reply reply = RawHttp.send(server.uri(), "GET", "/items/%E0%A4", null, null);

        assertProblem(reply, 400, "urn:valerix:problem:invalid-request");
    }

    @Test
    void problemInstanceNamesThePathAndTitleIsStable() {
        RawHttp.Reply reply = RawHttp.send(server.uri(), "GET", "/nothing", null, null);

        assertThat(reply.json().path("instance").asText()).isEqualTo("/nothing");
        assertThat(reply.json().path("title").asText()).isEqualTo("Not found");
        assertThat(reply.json().path("status").asInt()).isEqualTo(404);
    }

    private static void assertProblem(RawHttp.Reply reply, int status, String type) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.problemType()).isEqualTo(type);
        assertThat(reply.body()).doesNotContain("\tat ", "Exception");
    }
}
