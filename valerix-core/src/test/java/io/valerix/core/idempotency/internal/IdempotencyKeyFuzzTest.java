package io.valerix.core.idempotency.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.valerix.core.http.ProblemException;
import io.valerix.core.idempotency.IdempotencyProblems;
import java.nio.charset.StandardCharsets;

/**
 * Any header value either yields a usable key or is refused with the documented 400
 * {@code invalid-idempotency-key}; a key that is accepted reads back the same when a client
 * sends it as an RFC 8941 string.
 */
class IdempotencyKeyFuzzTest {

    private static final int MAX_LENGTH = 64;

    @FuzzTest(maxDuration = "60s")
    void anyHeaderValueIsAKeyOrTheDocumentedProblem(byte[] input) {
        // A header value arrives as ISO-8859-1 octets: every char from 0 to 255 is possible.
        String headerValue = new String(input, StandardCharsets.ISO_8859_1);
        String key;
        try {
            key = IdempotencyKeys.fromHeader(headerValue, MAX_LENGTH);
        } catch (ProblemException refused) {
            assertThat(refused.problem().type()).isEqualTo(IdempotencyProblems.INVALID_KEY.type());
            assertThat(refused.problem().status()).isEqualTo(400);
            return;
        }
        assertThat(key).isNotEmpty().hasSizeLessThanOrEqualTo(MAX_LENGTH);
        assertThat(key.chars()).noneMatch(c -> Character.isISOControl(c));
        assertThat(IdempotencyKeys.fromHeader(asStructuredString(key), MAX_LENGTH))
                .isEqualTo(key);
    }

    private static String asStructuredString(String key) {
        return '"' + key.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
