package io.valerix.core.gremlin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationTextTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0ms",
        "1500ms, 1500ms",
        "1.5s, 1500ms",
        "2000ms, 2s",
        "120s, 2m",
        "60m, 1h",
        "0.001ms, 1us",
        "7ns, 7ns",
        "9223372036854775807ns, 9223372036854775807ns"
    })
    void formatWritesTheLargestExactUnit(String text, String formatted) {
        Duration duration = DurationText.parse(text);

        assertThat(DurationText.format(duration)).isEqualTo(formatted);
        assertThat(DurationText.parse(formatted)).isEqualTo(duration);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
          -1s                     | negative duration '-1s'
          10                      | duration '10' has no unit (expected ns, us, ms, s, m or h)
          0.5ns                   | duration '0.5ns' is finer than a nanosecond
          1,5s                    | bad duration '1,5s' (expected e.g. 0, 100us, 250ms, 1.5s, 2m)
          1S                      | bad duration '1S' (expected e.g. 0, 100us, 250ms, 1.5s, 2m)
          9223372036854775808ns   | duration '9223372036854775808ns' is too large
          """)
    void badDurationsAreRejectedNamingTheText(String text, String message) {
        assertThatThrownBy(() -> DurationText.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
