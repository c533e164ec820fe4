package io.valerix.core.gremlin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class NormalMathTest {

    private final NormalDistribution reference = new NormalDistribution(null, 0, 1);

    @Test
    void theInverseCdfAgreesWithCommonsMathAcrossTheUnitInterval() {
        for (double p = 1e-12; p < 1; p = p < 0.01 || p > 0.99 ? p * 1.7 : p + 0.01) {
            double expected = reference.inverseCumulativeProbability(Math.min(p, Math.nextDown(1.0)));
            assertThat(NormalMath.inverseCdf(p))
                    .as("p=%s", p)
                    .isCloseTo(expected, within(1e-6 * Math.max(1, Math.abs(expected))));
        }
    }

    @Test
    void theCdfAgreesWithCommonsMath() {
        for (double z = -8; z <= 8; z += 0.05) {
            assertThat(NormalMath.cdf(z)).as("z=%s", z).isCloseTo(reference.cumulativeProbability(z), within(2e-7));
        }
    }

    @Test
    void theInverseCdfIsInfiniteAtTheEnds() {
        assertThat(NormalMath.inverseCdf(0)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(NormalMath.inverseCdf(1)).isEqualTo(Double.POSITIVE_INFINITY);
    }
}
