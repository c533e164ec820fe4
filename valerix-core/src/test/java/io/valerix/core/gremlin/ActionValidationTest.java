package io.valerix.core.gremlin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ActionValidationTest {

    private static final Duration MS_100 = Duration.ofMillis(100);

    @Test
    void badDistributionParametersAreRejectedNamingFieldAndValue() {
        assertThatThrownBy(() -> LatencyDistribution.fixed(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delay must not be negative, but was -5ms");
        assertThatThrownBy(() -> LatencyDistribution.uniform(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("min must not be greater than max, but min was 2s and max 1s");
        assertThatThrownBy(() -> LatencyDistribution.normal(MS_100, Duration.ZERO))
                .hasMessage("stddev must be greater than 0, but was 0ms");
        assertThatThrownBy(() -> LatencyDistribution.logNormal(MS_100, Double.NaN))
                .hasMessage("sigma must be greater than 0, but was NaN");
        assertThatThrownBy(() -> LatencyDistribution.logNormal(Duration.ZERO, 1))
                .hasMessage("median must be greater than 0, but was 0ms");
        assertThatThrownBy(() -> LatencyDistribution.pareto(MS_100, -1))
                .hasMessage("shape must be greater than 0, but was -1.0");
        assertThatThrownBy(() -> LatencyDistribution.pareto(MS_100, 1, Duration.ofMillis(10)))
                .hasMessage("cap must not be less than scale, but cap was 10ms and scale 100ms");
    }

    @Test
    void badFaultParametersAreRejectedNamingFieldAndValue() {
        assertThatThrownBy(() -> Fault.error(302))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("status must be a 4xx or 5xx code, but was 302");
        assertThatThrownBy(() -> Fault.noResponse(Duration.ZERO))
                .hasMessage("bound must be greater than 0, but was 0ms");
        assertThatThrownBy(() -> Fault.slowBody(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("duration");
    }

    @Test
    void aRuleRejectsAProbabilityOutsideZeroToOne() {
        GremlinRule rule = GremlinRule.of(Fault.reset());

        assertThatThrownBy(() -> rule.withProbability(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("probability must be in [0, 1], but was 1.5");
        assertThatThrownBy(() -> rule.withProbability(Double.NaN))
                .hasMessage("probability must be in [0, 1], but was NaN");
    }

    @Test
    void slowBodyOnlyExistsAfterTheHandler() {
        GremlinRule rule = GremlinRule.of(Fault.slowBody(Duration.ofSeconds(1)));

        assertThat(rule.phase()).isEqualTo(InjectionPhase.AFTER);
        assertThatThrownBy(() -> rule.withPhase(InjectionPhase.BEFORE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slowbody");
    }

    @Test
    void everyOtherActionDefaultsToBeforeTheHandler() {
        assertThat(GremlinRule.of(LatencyDistribution.fixed(MS_100)).phase()).isEqualTo(InjectionPhase.BEFORE);
        assertThat(GremlinRule.of(Fault.error(503)).phase()).isEqualTo(InjectionPhase.BEFORE);
        assertThat(GremlinRule.of(Fault.reset()).phase()).isEqualTo(InjectionPhase.BEFORE);
    }

    @Test
    void samplesStayWithinTheirSupportAtTheEdgesOfTheUnitInterval() {
        double almostOne = Math.nextDown(1.0);
        LatencyDistribution uniform = LatencyDistribution.uniform(MS_100, Duration.ofSeconds(5));
        LatencyDistribution pareto = LatencyDistribution.pareto(MS_100, 0.1, Duration.ofSeconds(3));

        assertThat(uniform.sample(0)).isEqualTo(MS_100);
        assertThat(uniform.sample(almostOne)).isLessThanOrEqualTo(Duration.ofSeconds(5));
        // The truncation point comes from approximations of Φ and Φ⁻¹ good to about 1e-7 · stddev.
        assertThat(LatencyDistribution.normal(MS_100, MS_100).sample(0)).isLessThan(Duration.ofNanos(100));
        assertThat(LatencyDistribution.normal(MS_100, MS_100).sample(almostOne)).isPositive();
        assertThat(LatencyDistribution.logNormal(MS_100, 3).sample(0)).isEqualTo(Duration.ZERO);
        assertThat(LatencyDistribution.logNormal(MS_100, 3).sample(0.5)).isEqualTo(MS_100);
        assertThat(pareto.sample(0)).isEqualTo(MS_100);
        assertThat(pareto.sample(almostOne)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aHugeLogNormalSampleSaturatesInsteadOfOverflowing() {
        LatencyDistribution wild = LatencyDistribution.logNormal(Duration.ofHours(1), 100);

        assertThat(wild.sample(Math.nextDown(1.0))).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
    }
}
