package io.valerix.core.gremlin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import org.apache.commons.math3.distribution.LogNormalDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.ParetoDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

/**
 * Samples through the whole engine (seed → counter-based uniforms → inverse transform), so a
 * flaw in either the mixer or a distribution shows up; nothing sleeps.
 */
class DistributionTest {

    private static final int SAMPLES = 100_000;
    private static final double ALPHA = 0.01;
    private static final KolmogorovSmirnovTest KS = new KolmogorovSmirnovTest();

    /** The delays, in seconds, of {@code SAMPLES} requests through a gremlin with {@code spec}. */
    private static double[] delaysInSeconds(String spec) {
        Gremlin gremlin = Gremlin.builder(20240601)
                .spec(GremlinSpec.parse(spec))
                .retainedDecisions(0)
                .build();
        double[] seconds = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            Duration delay = gremlin.decide("PUT", "/reservations/o-" + i).delay(InjectionPhase.AFTER);
            seconds[i] = delay.toNanos() / 1e9;
        }
        return seconds;
    }

    @Test
    void uniformDelaysPassKolmogorovSmirnovAgainstUniformZeroToFiveSeconds() {
        double[] delays = delaysInSeconds("uniform(0ms,5s) after");

        assertThat(KS.kolmogorovSmirnovTest(new UniformRealDistribution(null, 0, 5), delays))
                .isGreaterThan(ALPHA);
    }

    @Test
    void theKolmogorovSmirnovCheckHasThePowerToRejectAWrongDistribution() {
        double[] delays = delaysInSeconds("uniform(0ms,5s) after");

        assertThat(KS.kolmogorovSmirnovTest(new UniformRealDistribution(null, 0, 4.9), delays))
                .isLessThan(ALPHA);
    }

    @Test
    void logNormalDelaysPassKolmogorovSmirnovAgainstCommonsMath() {
        double[] delays = delaysInSeconds("lognormal(100ms,0.5) after");

        RealDistribution expected = new LogNormalDistribution(null, Math.log(0.1), 0.5, 1e-9);
        assertThat(KS.kolmogorovSmirnovTest(expected, delays)).isGreaterThan(ALPHA);
    }

    @Test
    void normalDelaysFollowTheNormalTruncatedAtZero() {
        // mean/stddev = 4/3, so about 9 % of the untruncated mass lies below zero and is excluded.
        double[] delays = delaysInSeconds("normal(200ms,150ms) after");
        NormalDistribution normal = new NormalDistribution(null, 0.2, 0.15);
        double below = normal.cumulativeProbability(0);

        double[] probabilities = Arrays.stream(delays)
                .map(x -> (normal.cumulativeProbability(x) - below) / (1 - below))
                .toArray();

        assertThat(Arrays.stream(delays).min().orElseThrow()).isGreaterThanOrEqualTo(0);
        assertThat(KS.kolmogorovSmirnovTest(new UniformRealDistribution(null, 0, 1), probabilities))
                .isGreaterThan(ALPHA);
    }

    @Test
    void paretoDelaysBelowTheCapFollowParetoAndTheRestSitAtTheCap() {
        double[] delays = delaysInSeconds("pareto(50ms,1.5,1s) after");
        ParetoDistribution pareto = new ParetoDistribution(null, 0.05, 1.5, 1e-9);
        double belowCap = pareto.cumulativeProbability(1.0);

        double[] uncapped = Arrays.stream(delays).filter(x -> x < 1.0).toArray();
        long capped = Arrays.stream(delays).filter(x -> x == 1.0).count();
        // Below the cap the CDF conditioned on staying below it, F(x)/F(cap), must be uniform.
        double[] probabilities = Arrays.stream(uncapped)
                .map(x -> pareto.cumulativeProbability(x) / belowCap)
                .toArray();

        assertThat(uncapped.length + capped).isEqualTo(SAMPLES);
        assertThat(KS.kolmogorovSmirnovTest(new UniformRealDistribution(null, 0, 1), probabilities))
                .isGreaterThan(ALPHA);
        // P(X >= cap) = (50ms/1s)^1.5 ≈ 1.12 %: binomial mean ≈ 1118, sigma ≈ 33; five sigma.
        double p = 1 - belowCap;
        double sigma = Math.sqrt(SAMPLES * p * (1 - p));
        assertThat((double) capped).isBetween(SAMPLES * p - 5 * sigma, SAMPLES * p + 5 * sigma);
    }
}
