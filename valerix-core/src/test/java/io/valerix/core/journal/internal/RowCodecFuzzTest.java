package io.valerix.core.journal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Any JSON value in a journal row decodes to a value for a column of any kind, or is refused with
 * the documented {@link IllegalArgumentException}; a decoded value encodes back to JSON that
 * decodes to the same value.
 */
class RowCodecFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyValueDecodesForItsColumnOrIsRefused(FuzzedDataProvider data) {
        RowCodec.Kind kind = data.pickValue(RowCodec.Kind.values());
        JsonNode value;
        try {
            value = RowCodec.JSON.readTree(data.consumeRemainingAsString());
        } catch (JsonProcessingException notJson) {
            return; // the segment reader refuses these before any value is decoded
        }
        Object decoded;
        try {
            decoded = RowCodec.decode(value, kind);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).contains(kind.name());
            return;
        }
        if (decoded == null) {
            assertThat(value == null || value.isNull()).isTrue();
            return;
        }
        if (decoded instanceof byte[] bytes) {
            assertThat((byte[]) RowCodec.decode(RowCodec.encode(bytes), kind)).isEqualTo(bytes);
        } else if (decoded instanceof java.math.BigDecimal number && Math.abs(number.scale()) < 1_000) {
            // encode writes the plain string, so 1E+3 comes back as 1000: equal in value, not in scale.
            assertThat((java.math.BigDecimal) RowCodec.decode(RowCodec.encode(number), kind))
                    .isEqualByComparingTo(number);
        } else if (kind == RowCodec.Kind.TEXT || kind == RowCodec.Kind.INTEGER) {
            assertThat(RowCodec.decode(RowCodec.encode(decoded), kind)).isEqualTo(decoded);
        }
    }
}
