package io.valerix.core.gremlin;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Any body sent to {@code PUT /admin/gremlin} is a spec or a {@link GremlinSpecException}; an
 * accepted spec writes back to JSON and text that read to the same spec.
 */
class GremlinSpecJsonFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyJsonIsASpecOrTheDocumentedException(byte[] input) {
        String json = new String(input, StandardCharsets.UTF_8);
        GremlinSpec spec;
        try {
            spec = GremlinSpec.fromJson(json);
        } catch (GremlinSpecException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(GremlinSpec.fromJson(spec.toJson())).isEqualTo(spec);
        assertThat(GremlinSpec.parse(spec.toText())).isEqualTo(spec);
    }
}
