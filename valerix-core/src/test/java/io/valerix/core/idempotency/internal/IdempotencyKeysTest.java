package io.valerix.core.idempotency.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.valerix.core.http.ProblemException;
import io.valerix.core.idempotency.IdempotencyConfig;
import io.valerix.core.idempotency.KeyExtractor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdempotencyKeysTest {

    private static final String INVALID = "urn:valerix:problem:invalid-idempotency-key";

    @Test
    void aBareTokenIsTheKeyAsSent() {
        assertThat(IdempotencyKeys.fromHeader("order-42:retry/1", 255)).isEqualTo("order-42:retry/1");
    }

    @Test
    void aUuidIsAcceptedBareAlthoughItMayStartWithADigit() {
        assertThat(IdempotencyKeys.fromHeader("8e03978e-40d5-43e8-bc93-6894a57f9324", 255))
                .isEqualTo("8e03978e-40d5-43e8-bc93-6894a57f9324");
    }

    @Test
    void aStructuredFieldStringIsUnquotedAndUnescaped() {
        assertThat(IdempotencyKeys.fromHeader("\"abc def\"", 255)).isEqualTo("abc def");
        assertThat(IdempotencyKeys.fromHeader("\"a\\\"b\\\\c\"", 255)).isEqualTo("a\"b\\c");
    }

    @Test
    void quotedAndBareSpellingsOfOneKeyAreTheSameKey() {
        assertThat(IdempotencyKeys.fromHeader("\"k-1\"", 255)).isEqualTo(IdempotencyKeys.fromHeader("k-1", 255));
    }

    @Test
    void surroundingSpacesAreNotPartOfTheKey() {
        assertThat(IdempotencyKeys.fromHeader("  \"k\"\t", 255)).isEqualTo("k");
    }

    @Test
    void aKeyOfExactlyTheMaximumLengthIsAccepted() {
        String key = "k".repeat(255);
        assertThat(IdempotencyKeys.fromHeader(key, 255)).isEqualTo(key);
        assertThat(IdempotencyKeys.fromHeader("\"" + key + "\"", 255)).isEqualTo(key);
    }

    @Test
    void aKeyOneCharacterTooLongIsRefusedSayingByHowMuch() {
        ProblemException problem = refused("k".repeat(256));

        assertThat(problem.problem().detail()).contains("256 characters", "at most 255");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "\"\"",
                "\"abc",
                "\"abc\";p=1",
                "\"a\\nb\"",
                "a b",
                "a,b",
                "a;b",
                "a\"b",
                "\"a\u0001b\"",
                "a\u0001b",
                "\"é\"",
                "é"
            })
    void malformedKeysAreRefusedAs400(String headerValue) {
        ProblemException problem = refused(headerValue);

        assertThat(problem.problem().status()).isEqualTo(400);
        assertThat(problem.problem().type()).hasToString(INVALID);
    }

    @Test
    void aControlCharacterIsNamedWithItsPosition() {
        assertThat(refused("\"ab\u0007\"").problem().detail()).contains("control character at position 4");
    }

    @Test
    void theHeaderSentTwiceIsRefused() {
        FakeRequest request = FakeRequest.json(
                "POST", "/orders", "POST /orders", "{}", "Idempotency-Key", "a", "Idempotency-Key", "b");

        ProblemException problem = catchThrowableOfType(
                ProblemException.class, () -> IdempotencyKeys.resolve(request, IdempotencyConfig.defaults()));

        assertThat(problem.problem().type()).hasToString(INVALID);
        assertThat(problem.problem().detail()).contains("sent 2 times");
    }

    @Test
    void theHeaderWinsOverTheFallback() {
        IdempotencyConfig config = IdempotencyConfig.builder()
                .fallbackKey(KeyExtractor.bodyField("orderId"))
                .build();
        FakeRequest request = FakeRequest.json(
                "POST", "/orders", "POST /orders", "{\"orderId\":\"from-body\"}", "Idempotency-Key", "from-header");

        assertThat(IdempotencyKeys.resolve(request, config)).isEqualTo("from-header");
    }

    @Test
    void theFallbackIsValidatedLikeAHeaderKey() {
        IdempotencyConfig config = IdempotencyConfig.builder()
                .fallbackKey(KeyExtractor.bodyField("orderId"))
                .maxKeyLength(5)
                .build();
        FakeRequest request = FakeRequest.post("{\"orderId\":\"too-long\"}");

        ProblemException problem =
                catchThrowableOfType(ProblemException.class, () -> IdempotencyKeys.resolve(request, config));

        assertThat(problem.problem().type()).hasToString(INVALID);
    }

    @Test
    void noHeaderAndNoFallbackIsAMissingKey() {
        ProblemException problem = catchThrowableOfType(
                ProblemException.class,
                () -> IdempotencyKeys.resolve(FakeRequest.post("{}"), IdempotencyConfig.defaults()));

        assertThat(problem.problem().type()).hasToString("urn:valerix:problem:idempotency-key-missing");
        assertThat(problem.problem().status()).isEqualTo(400);
    }

    @Test
    void theBodyFieldExtractorTakesStringsAndIntegersOnly() {
        KeyExtractor orderId = KeyExtractor.bodyField("orderId");

        assertThat(orderId.extract(FakeRequest.post("{\"orderId\":\"o-1\"}"))).contains("o-1");
        assertThat(orderId.extract(FakeRequest.post("{\"orderId\":12345678901234567890}")))
                .contains("12345678901234567890");
        assertThat(orderId.extract(FakeRequest.post("{\"orderId\":1.5}"))).isEmpty();
        assertThat(orderId.extract(FakeRequest.post("{\"orderId\":{\"x\":1}}"))).isEmpty();
        assertThat(orderId.extract(FakeRequest.post("{\"other\":\"o-1\"}"))).isEmpty();
        assertThat(orderId.extract(FakeRequest.post("[\"orderId\"]"))).isEmpty();
        assertThat(orderId.extract(FakeRequest.post("not json"))).isEmpty();
        assertThat(orderId.extract(FakeRequest.post(""))).isEmpty();
    }

    private static ProblemException refused(String headerValue) {
        ProblemException problem =
                catchThrowableOfType(ProblemException.class, () -> IdempotencyKeys.fromHeader(headerValue, 255));
        assertThat(problem).as("refusal of '%s'", headerValue).isNotNull();
        assertThat(problem.problem().type()).hasToString(INVALID);
        return problem;
    }
}
