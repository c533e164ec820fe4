package io.valerix.core.gremlin;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Any text given to {@code --gremlin} or the admin endpoint is a spec or a {@link
 * GremlinSpecException}; an accepted spec prints back to text and JSON that parse to the same spec.
 */
class GremlinSpecTextFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyTextIsASpecOrTheDocumentedException(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        GremlinSpec spec;
        try {
            spec = GremlinSpec.parse(text);
        } catch (GremlinSpecException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(GremlinSpec.parse(spec.toText())).isEqualTo(spec);
        assertThat(GremlinSpec.fromJson(spec.toJson())).isEqualTo(spec);
    }
}
