package io.valerix.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Pins how the metrics tests behave when promtool is missing. */
class PromtoolTest {

    @Test
    void aMissingPromtoolFailsTheBuildOnCi() {
        assertThatThrownBy(() -> Promtool.require(Map.of("PATH", "/nonexistent", "CI", "true")))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("install the Debian package 'prometheus'")
                .hasMessageContaining("required when CI=true");
    }

    @Test
    void aMissingPromtoolSkipsOnADeveloperMachine() {
        assertThatThrownBy(() -> Promtool.require(Map.of("PATH", "/nonexistent")))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("apt-get install -y prometheus");
    }

    @Test
    void promtoolRejectsABrokenPageSoItsApprovalMeansSomething() throws Exception {
        // given a label value with an unescaped quote
        String broken = "# HELP x_total x\n# TYPE x_total counter\nx_total{kind=\"a\"b\"} 1\n";

        // then
        assertThat(Promtool.checkMetrics(broken).exitCode()).isNotZero();
    }
}
