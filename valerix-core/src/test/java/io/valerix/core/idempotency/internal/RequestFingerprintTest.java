package io.valerix.core.idempotency.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class RequestFingerprintTest {

    private static String post(String body) {
        return RequestFingerprint.of(FakeRequest.post(body));
    }

    @Test
    void aFingerprintIs64HexDigits() {
        assertThat(post("{}")).matches("[0-9a-f]{64}");
    }

    @Test
    void reorderedMembersAreTheSameRequestAtEveryDepth() {
        assertThat(post("{\"sku\":\"a\",\"qty\":2,\"ship\":{\"city\":\"X\",\"zip\":\"1\"}}"))
                .isEqualTo(post("{\"ship\":{\"zip\":\"1\",\"city\":\"X\"},\"qty\":2,\"sku\":\"a\"}"));
    }

    @Test
    void insignificantWhitespaceDoesNotMatter() {
        assertThat(post("{ \"a\" : [ 1 , 2 ] }\n")).isEqualTo(post("{\"a\":[1,2]}"));
    }

    @Test
    void numbersThatAreEqualAreTheSameWhateverTheirSpelling() {
        assertThat(post("{\"q\":1}"))
                .isEqualTo(post("{\"q\":1.0}"))
                .isEqualTo(post("{\"q\":1e0}"))
                .isEqualTo(post("{\"q\":10E-1}"));
        assertThat(post("{\"q\":100}")).isEqualTo(post("{\"q\":1e2}"));
        assertThat(post("{\"q\":0}")).isEqualTo(post("{\"q\":-0.0}"));
    }

    @Test
    void differentValuesAreDifferentRequests() {
        assertThat(post("{\"q\":1}")).isNotEqualTo(post("{\"q\":2}"));
        assertThat(post("{\"q\":0.1}")).isNotEqualTo(post("{\"q\":0.10000000000000001}"));
        assertThat(post("{\"q\":1}")).isNotEqualTo(post("{\"q\":\"1\"}"));
        assertThat(post("{\"q\":[1,2]}")).isNotEqualTo(post("{\"q\":[2,1]}"));
        assertThat(post("{\"q\":null}")).isNotEqualTo(post("{}"));
    }

    @Test
    void methodRouteAndPathArePartOfTheRequest() {
        String body = "{\"q\":1}";
        String base = RequestFingerprint.of(FakeRequest.json("PUT", "/reservations/a", "PUT /reservations/{id}", body));

        assertThat(RequestFingerprint.of(FakeRequest.json("PUT", "/reservations/b", "PUT /reservations/{id}", body)))
                .isNotEqualTo(base);
        assertThat(RequestFingerprint.of(FakeRequest.json("POST", "/reservations/a", "POST /reservations/{id}", body)))
                .isNotEqualTo(base);
    }

    @Test
    void aBodyThatIsNotJsonIsHashedAsItsBytes() {
        FakeRequest text = FakeRequest.post("{\"b\":1,\"a\":2}").withContentType("text/plain");
        FakeRequest reordered = FakeRequest.post("{\"a\":2,\"b\":1}").withContentType("text/plain");

        assertThat(RequestFingerprint.of(text)).isNotEqualTo(RequestFingerprint.of(reordered));
        assertThat(RequestFingerprint.of(text))
                .isEqualTo(RequestFingerprint.of(
                        FakeRequest.post("{\"b\":1,\"a\":2}").withContentType("text/plain")));
    }

    @Test
    void malformedJsonIsHashedAsItsBytesRatherThanRefused() {
        assertThat(post("{\"a\":")).isEqualTo(post("{\"a\":")).isNotEqualTo(post("{\"a\" :"));
        assertThat(post("{\"a\":1,\"a\":2}")).isNotEqualTo(post("{\"a\":2,\"a\":1}"));
    }

    @Test
    void theVendorJsonMediaTypesAreCanonicalizedToo() {
        FakeRequest vendor =
                FakeRequest.post("{\"b\":1,\"a\":2}").withContentType("application/vnd.valerix+json; charset=utf-8");
        FakeRequest reordered = FakeRequest.post("{\"a\":2,\"b\":1}").withContentType("application/vnd.valerix+json");

        assertThat(RequestFingerprint.of(vendor)).isEqualTo(RequestFingerprint.of(reordered));
    }

    @Test
    void canonicalNumbersStripTrailingZerosIntoDigitsAndAnExponent() {
        assertThat(CanonicalJson.number(new BigDecimal("1.000"))).isEqualTo("1e0");
        assertThat(CanonicalJson.number(new BigDecimal("1500"))).isEqualTo("15e2");
        assertThat(CanonicalJson.number(new BigDecimal("0.25"))).isEqualTo("25e-2");
        assertThat(CanonicalJson.number(new BigDecimal("-0.00"))).isEqualTo("0");
        assertThat(CanonicalJson.canonicalize("{\"b\":[true,null,\"x\"],\"a\":1.50}".getBytes()))
                .contains("{\"a\":15e-1,\"b\":[true,null,\"x\"]}");
    }
}
