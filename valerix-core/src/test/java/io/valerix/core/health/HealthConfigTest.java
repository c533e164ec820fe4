package io.valerix.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthConfigTest {

    @Test
    void defaultsAreTenSecondsInOneSecondSlicesWithAOneSecondThreshold() {
        HealthConfig config = HealthConfig.defaults();

        assertThat(config.window()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.slice()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.sliceCount()).isEqualTo(10);
        assertThat(config.threshold()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.recoveryRatio()).isEqualTo(0.9);
        assertThat(config.maxLatency()).isEqualTo(Duration.ofHours(1));
        assertThat(config.dependencies()).isEmpty();
    }

    @Test
    void aWindowThatIsNotAWholeNumberOfSlicesIsRejectedNamingBoth() {
        assertThatThrownBy(() ->
                        HealthConfig.builder().window(Duration.ofMillis(10_500)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("window must be a whole number of slices, but window was PT10.5S and slice PT1S");
    }

    @Test
    void badValuesAreRejectedWithTheFieldAndTheValue() {
        assertThatThrownBy(() ->
                        HealthConfig.builder().threshold(Duration.ofMillis(-3)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threshold must be positive, but was PT-0.003S");
        assertThatThrownBy(() -> HealthConfig.builder().recoveryRatio(1.5).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("recoveryRatio must be in (0, 1], but was 1.5");
        assertThatThrownBy(
                        () -> HealthConfig.builder().slice(Duration.ofNanos(10)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slice must be at least PT0.001S, but was PT0.00000001S");
        assertThatThrownBy(() -> HealthConfig.builder().transitionHistory(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("transitionHistory must be in [1, 100000], but was 0");
        assertThatThrownBy(() -> HealthConfig.builder()
                        .maxLatency(Duration.ofMillis(500))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLatency must be at least the threshold (PT1S), but was PT0.5S");
        assertThatThrownBy(() -> HealthConfig.builder().dependencies(" ").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("dependency must be 1 to 64 printable characters");
    }

    @Test
    void nullIsRejectedWithANullPointerExceptionNamingTheField() {
        assertThatThrownBy(() -> HealthConfig.builder().window(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("window");
    }

    @Test
    void aBuiltConfigDoesNotChangeWhenItsBuilderDoes() {
        HealthConfig.Builder builder = HealthConfig.builder().dependencies("inventory");
        HealthConfig config = builder.build();

        builder.dependencies("payments").threshold(Duration.ofSeconds(2));

        assertThat(config.dependencies()).containsExactly("inventory");
        assertThat(config.threshold()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.toBuilder().build().toString()).isEqualTo(config.toString());
    }
}
