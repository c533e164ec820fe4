package io.valerix.core.idempotency.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.valerix.core.http.Json;
import io.valerix.core.http.Request;
import io.valerix.core.idempotency.KeyExtractor;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/** {@link KeyExtractor#bodyField(String)}: a top-level string or integer field of a JSON body. */
public final class BodyFieldKeyExtractor implements KeyExtractor {

    // Valerix's limits (nesting, string and number sizes, duplicate keys) apply here as in handlers.
    private static final ObjectReader READER = Json.newMapper().reader();

    private final String field;

    public BodyFieldKeyExtractor(String field) {
        Objects.requireNonNull(field, "name");
        if (field.isEmpty()) {
            throw new IllegalArgumentException("name must not be empty");
        }
        this.field = field;
    }

    @Override
    public Optional<String> extract(Request request) {
        byte[] body = request.body();
        if (body.length == 0) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = READER.readTree(body);
        } catch (IOException notJson) {
            // The handler reports a malformed body better than a key extractor can; here it has no key.
            return Optional.empty();
        }
        JsonNode value = root == null ? null : root.get(field);
        if (value == null || !root.isObject()) {
            return Optional.empty();
        }
        if (value.isTextual()) {
            return Optional.of(value.textValue());
        }
        if (value.isIntegralNumber()) {
            return Optional.of(value.bigIntegerValue().toString());
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "bodyField(" + field + ")";
    }
}
