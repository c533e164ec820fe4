package io.valerix.core.idempotency.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.valerix.core.http.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One spelling for JSON documents that mean the same: object members sorted by name (recursively),
 * no insignificant whitespace, and every number written as {@code <digits>e<exponent>} after
 * trailing zeros are stripped, so {@code 1}, {@code 1.0}, {@code 1e0} and {@code 10e-1} are all
 * {@code 1e0}, and zero of any sign or scale is {@code 0}. Strings and array order are kept as
 * they are. Only hashed, never shown, so it need not be pretty.
 *
 * <p>Thread-safe.
 */
public final class CanonicalJson {

    // Floats are read as BigDecimal so 0.1 stays 0.1 and a 30-digit number keeps every digit;
    // Valerix's read limits (64 digits, nesting 64, duplicate keys refused) bound the work.
    private static final ObjectReader READER =
            Json.newMapper().reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final JsonFactory FACTORY = new JsonFactory();

    private CanonicalJson() {}

    /** The canonical text of {@code body}, or empty if it is not one well-formed JSON document. */
    public static Optional<String> canonicalize(byte[] body) {
        JsonNode root;
        try {
            root = READER.readTree(body);
        } catch (IOException | RuntimeException notJson) {
            return Optional.empty();
        }
        if (root == null || root.isMissingNode()) {
            return Optional.empty();
        }
        StringWriter out = new StringWriter(body.length);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(root, generator);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a string cannot fail", e);
        } catch (ArithmeticException unrepresentable) {
            // An exponent beyond what BigDecimal can carry: not a number anyone means, hash the bytes.
            return Optional.empty();
        }
        return Optional.of(out.toString());
    }

    private static void write(JsonNode node, JsonGenerator out) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                Map<String, JsonNode> sorted = new TreeMap<>();
                for (Map.Entry<String, JsonNode> member : node.properties()) {
                    sorted.put(member.getKey(), member.getValue());
                }
                out.writeStartObject();
                for (Map.Entry<String, JsonNode> member : sorted.entrySet()) {
                    out.writeFieldName(member.getKey());
                    write(member.getValue(), out);
                }
                out.writeEndObject();
            }
            case ARRAY -> {
                out.writeStartArray();
                for (JsonNode element : node) {
                    write(element, out);
                }
                out.writeEndArray();
            }
            case NUMBER -> out.writeNumber(number(node.decimalValue()));
            case STRING -> out.writeString(node.textValue());
            case BOOLEAN -> out.writeBoolean(node.booleanValue());
            case NULL -> out.writeNull();
            default ->
                throw new IllegalStateException("a parsed JSON document has no " + node.getNodeType() + " nodes");
        }
    }

    /** {@code 1}, {@code 1.0}, {@code 1e0} → {@code 1e0}; {@code 1500} → {@code 15e2}; {@code 0.25} → {@code 25e-2}. */
    static String number(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.unscaledValue() + "e" + (-(long) stripped.scale());
    }
}
