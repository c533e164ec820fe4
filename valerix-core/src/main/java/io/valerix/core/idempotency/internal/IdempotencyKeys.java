package io.valerix.core.idempotency.internal;

import io.valerix.core.http.ProblemException;
import io.valerix.core.http.Request;
import io.valerix.core.http.ValerixHeaders;
import io.valerix.core.idempotency.IdempotencyConfig;
import io.valerix.core.idempotency.IdempotencyProblems;
import java.util.List;
import java.util.Optional;

/**
 * Finds and validates a request's idempotency key: the {@code Idempotency-Key} header, else the
 * configured fallback extractor.
 *
 * <p>The IETF draft defines the header as an RFC 8941 structured-field string ({@code "abc"}).
 * Many clients send a bare value instead (a UUID, which is not even a valid sf-token because it
 * may start with a digit), so a bare run of visible ASCII is accepted too, as long as it holds
 * nothing that structures a field ({@code "}, {@code ,}, {@code ;}). Parameters after a string are
 * refused rather than ignored, so one key cannot be spelled two ways.
 */
public final class IdempotencyKeys {

    private IdempotencyKeys() {}

    /**
     * The key of {@code request}.
     *
     * @throws ProblemException 400 {@code invalid-idempotency-key} for a malformed key, 400 {@code
     *     idempotency-key-missing} when there is none
     */
    public static String resolve(Request request, IdempotencyConfig config) {
        List<String> values = request.headers().get(ValerixHeaders.IDEMPOTENCY_KEY);
        if (values != null && !values.isEmpty()) {
            if (values.size() > 1) {
                throw invalid(ValerixHeaders.IDEMPOTENCY_KEY + " must be sent once, but was sent " + values.size()
                        + " times");
            }
            return fromHeader(values.get(0), config.maxKeyLength());
        }
        Optional<String> fallback = config.fallbackKey().flatMap(extractor -> extractor.extract(request));
        if (fallback.isPresent()) {
            return validate(fallback.get(), config.maxKeyLength(), "the idempotency key taken from the request");
        }
        throw IdempotencyProblems.KEY_MISSING.exception(request.route() + " needs an " + ValerixHeaders.IDEMPOTENCY_KEY
                + " header" + (config.fallbackKey().isPresent() ? " or the key in the body" : ""));
    }

    /** The key in a header value: a structured-field string or a bare token. */
    static String fromHeader(String headerValue, int maxLength) {
        String value = stripSpaces(headerValue);
        String source = ValerixHeaders.IDEMPOTENCY_KEY;
        if (value.isEmpty()) {
            throw invalid(source + " is empty");
        }
        String key = value.charAt(0) == '"' ? unquote(value) : bare(value);
        return validate(key, maxLength, source);
    }

    /** {@code key} if it is usable: not empty, not too long, no control characters. */
    static String validate(String key, int maxLength, String source) {
        if (key.isEmpty()) {
            throw invalid(source + " is empty");
        }
        if (key.length() > maxLength) {
            throw invalid(source + " is " + key.length() + " characters long; at most " + maxLength + " are allowed");
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw invalid(source + " contains a control character at position " + (i + 1));
            }
        }
        return key;
    }

    /** RFC 8941 §4.2.5: a string is DQUOTE *( unescaped / "\" ( DQUOTE / "\" ) ) DQUOTE. */
    private static String unquote(String value) {
        String source = ValerixHeaders.IDEMPOTENCY_KEY;
        StringBuilder key = new StringBuilder(value.length());
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                if (i + 1 >= value.length() || (value.charAt(i + 1) != '"' && value.charAt(i + 1) != '\\')) {
                    throw invalid(source + " has an invalid escape at position " + (i + 1)
                            + "; only \\\" and \\\\ are allowed");
                }
                key.append(value.charAt(++i));
            } else if (c == '"') {
                if (i != value.length() - 1) {
                    throw invalid(source
                            + " must be a single string without parameters, but has more after the closing quote");
                }
                return key.toString();
            } else if (c < 0x20 || c == 0x7f) {
                throw invalid(source + " contains a control character at position " + (i + 1));
            } else if (c > 0x7e) {
                throw invalid(source + " must be ASCII, but has a non-ASCII character at position " + (i + 1));
            } else {
                key.append(c);
            }
        }
        throw invalid(source + " starts a quoted string but does not close it");
    }

    private static String bare(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw invalid(ValerixHeaders.IDEMPOTENCY_KEY + " contains a control character at position " + (i + 1));
            }
            if (c <= 0x20 || c > 0x7e || c == '"' || c == ',' || c == ';') {
                throw invalid(ValerixHeaders.IDEMPOTENCY_KEY
                        + " must be a structured-field string (\"...\") or a bare token of visible ASCII without '\"', ',' or ';',"
                        + " but has '" + (c > 0x7e ? "non-ASCII" : String.valueOf(c)) + "' at position " + (i + 1));
            }
        }
        return value;
    }

    /** RFC 8941 parsing discards leading and trailing spaces; HTTP also allows tabs there. */
    private static String stripSpaces(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
            end--;
        }
        return value.substring(start, end);
    }

    private static ProblemException invalid(String detail) {
        return IdempotencyProblems.INVALID_KEY.exception(detail);
    }
}
