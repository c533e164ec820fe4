package io.valerix.core.gremlin;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Any saved decision log reads to decisions sorted by request number, or fails with the documented
 * {@link IllegalArgumentException} naming a line; what it reads writes back to the same decisions.
 */
class DecisionLogFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyLogReadsToDecisionsOrTheDocumentedException(byte[] input) throws IOException {
        List<GremlinDecision> decisions;
        try {
            decisions = DecisionLog.read(new StringReader(new String(input, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).contains("decision log");
            return;
        }
        assertThat(decisions).isSortedAccordingTo((a, b) -> Long.compare(a.request(), b.request()));
        StringBuilder rewritten = new StringBuilder();
        for (GremlinDecision decision : decisions) {
            rewritten.append(DecisionLog.toJsonLine(decision)).append('\n');
        }
        assertThat(DecisionLog.read(new StringReader(rewritten.toString()))).isEqualTo(decisions);
    }
}
