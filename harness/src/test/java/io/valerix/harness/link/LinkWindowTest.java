package io.valerix.harness.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkWindowTest {

    @Test
    void readsAFaultWithoutAValue() {
        LinkWindow window = LinkWindow.parse("blackhole 10s at 30s");

        assertThat(window.fault()).isEqualTo(LinkFault.blackhole());
        assertThat(window.start()).isEqualTo(Duration.ofSeconds(30));
        assertThat(window.end()).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void readsFaultsWithAValueAndTheOptionalFor() {
        assertThat(LinkWindow.parse("latency 300ms for 20s at 10s"))
                .isEqualTo(new LinkWindow(
                        LinkFault.latency(Duration.ofMillis(300)), Duration.ofSeconds(10), Duration.ofSeconds(20)));
        assertThat(LinkWindow.parse("bandwidth 16kb/s 5s at 1m").fault()).isEqualTo(LinkFault.bandwidth(16 * 1024));
        assertThat(LinkWindow.parse("Reset for 2s at 0s").fault()).isEqualTo(LinkFault.reset());
        assertThat(LinkWindow.parse("halfopen 1.5s at 45s").length()).isEqualTo(Duration.ofMillis(1_500));
    }

    @Test
    void readsBackWhatItWrites() {
        for (String spec : List.of(
                "blackhole 10s at 30s",
                "latency 300ms for 20s at 10s",
                "bandwidth 1mb/s for 3s at 2s",
                "halfopen 1s at 0s")) {
            LinkWindow window = LinkWindow.parse(spec);
            assertThat(LinkWindow.parse(window.toString())).isEqualTo(window);
        }
    }

    @Test
    void writesWholeSecondsAsSeconds() {
        assertThat(LinkWindow.parse("blackhole 10s at 90s")).hasToString("blackhole for 10s at 90s");
        assertThat(LinkWindow.parse("latency 300ms for 1.5s at 0s")).hasToString("latency 300ms for 1500ms at 0s");
    }

    @Test
    void isOpenFromItsStartUntilJustBeforeItsEnd() {
        LinkWindow window = LinkWindow.parse("reset 10s at 30s");

        assertThat(window.isOpenAt(Duration.ofMillis(29_999))).isFalse();
        assertThat(window.isOpenAt(Duration.ofSeconds(30))).isTrue();
        assertThat(window.isOpenAt(Duration.ofMillis(39_999))).isTrue();
        assertThat(window.isOpenAt(Duration.ofSeconds(40))).isFalse();
    }

    @Test
    void refusesSpecsItCannotReadWithAMessageThatSaysHowToWriteThem() {
        assertThatThrownBy(() -> LinkWindow.parse("blackhole at 30s")).hasMessageContaining("blackhole 10s at 30s");
        assertThatThrownBy(() -> LinkWindow.parse("flood 10s at 30s"))
                .hasMessageContaining("unknown link fault 'flood'");
        assertThatThrownBy(() -> LinkWindow.parse("latency for 10s at 30s")).hasMessageContaining("needs one value");
        assertThatThrownBy(() -> LinkWindow.parse("reset 5ms for 10s at 30s")).hasMessageContaining("takes no value");
        assertThatThrownBy(() -> LinkWindow.parse("bandwidth fast for 10s at 30s"))
                .hasMessageContaining("16kb/s");
        assertThatThrownBy(() -> LinkWindow.parse("blackhole 0s at 30s")).hasMessageContaining("must last a while");
        assertThatThrownBy(() -> LinkWindow.parse("blackhole 10s at soon")).hasMessageContaining("not a duration");
    }

    @Test
    void aScheduleIsOrderedByStartAndRefusesOverlaps() {
        LinkWindow late = LinkWindow.parse("reset 1s at 50s");
        LinkWindow early = LinkWindow.parse("blackhole 10s at 30s");

        assertThat(LinkWindow.schedule(List.of(late, early))).containsExactly(early, late);
        assertThatThrownBy(() -> LinkWindow.schedule(List.of(early, LinkWindow.parse("latency 5ms for 5s at 35s"))))
                .hasMessageContaining("overlap");
    }
}
