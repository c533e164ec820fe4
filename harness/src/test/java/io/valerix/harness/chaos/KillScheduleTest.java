package io.valerix.harness.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code --kill} option's words: which service, and when ({@link FaultSchedule}, shared with future scheduled faults). */
class KillScheduleTest {

    @Test
    void atStrikesOnceAndOnlyBeforeTheEnd() {
        FaultSchedule at = FaultSchedule.parse("at 40s");
        assertThat(at.timesBefore(Duration.ofSeconds(60))).containsExactly(Duration.ofSeconds(40));
        assertThat(at.timesBefore(Duration.ofSeconds(40))).isEmpty();
    }

    @Test
    void everyStrikesAtEachPeriodFromItsFirstTime() {
        assertThat(FaultSchedule.parse("every 15s").timesBefore(Duration.ofSeconds(60)))
                .containsExactly(Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(45));
        assertThat(FaultSchedule.parse("every 20s from 500ms").timesBefore(Duration.ofSeconds(45)))
                .containsExactly(Duration.ofMillis(500), Duration.ofMillis(20_500), Duration.ofMillis(40_500));
    }

    @Test
    void aScheduleReadsBackFromItsText() {
        for (String text : new String[] {"at 40s", "every 15s", "every 15s from 5s", "at 1500ms", "every 2m"}) {
            FaultSchedule s = FaultSchedule.parse(text);
            assertThat(FaultSchedule.parse(s.toText())).isEqualTo(s);
        }
        assertThat(FaultSchedule.parse("  AT 2m ").toText()).isEqualTo("at 120s");
    }

    @Test
    void aBadScheduleNamesWhatWasWrong() {
        assertThatThrownBy(() -> FaultSchedule.parse("sometimes"))
                .hasMessageContaining("'sometimes'")
                .hasMessageContaining("at 40s");
        assertThatThrownBy(() -> FaultSchedule.parse("at soon")).hasMessageContaining("'soon'");
        assertThatThrownBy(() -> FaultSchedule.parse("every 0s")).hasMessageContaining("at least 1s");
    }

    @Test
    void aKillNamesTheServiceAndOptionallyTheOrderInstance() {
        assertThat(KillSpec.parse("order:every 15s"))
                .isEqualTo(new KillSpec("order", 0, FaultSchedule.parse("every 15s")));
        assertThat(KillSpec.parse("order-2:at 30s"))
                .isEqualTo(new KillSpec("order", 2, FaultSchedule.at(Duration.ofSeconds(30))));
        assertThat(KillSpec.parse("inventory: at 40s").toText()).isEqualTo("inventory:at 40s");
    }

    @Test
    void aBadKillIsRefusedWithTheWordsItExpects() {
        assertThatThrownBy(() -> KillSpec.parse("order every 15s")).hasMessageContaining("SERVICE:SCHEDULE");
        assertThatThrownBy(() -> KillSpec.parse("database:at 5s")).hasMessageContaining("'database'");
        assertThatThrownBy(() -> KillSpec.parse("inventory-2:at 5s")).hasMessageContaining("'inventory-2'");
        assertThatThrownBy(() -> KillSpec.parse("order-0:at 5s")).hasMessageContaining("order-0");
    }
}
