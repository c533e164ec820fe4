package io.valerix.core.deadline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.valerix.core.time.ManualNanoClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlineTest {

    private final ManualNanoClock clock = new ManualNanoClock();

    @Test
    void remainingShrinksAsTheClockMovesAndNeverGoesNegative() {
        Deadline deadline = Deadline.after(Duration.ofMillis(200), clock);

        clock.advance(Duration.ofMillis(150));
        assertThat(deadline.remaining()).isEqualTo(Duration.ofMillis(50));
        assertThat(deadline.isExpired()).isFalse();

        clock.advance(Duration.ofMillis(80));
        assertThat(deadline.remaining()).isZero();
        assertThat(deadline.isExpired()).isTrue();
        assertThat(deadline.overshoot()).isEqualTo(Duration.ofMillis(30));
        assertThat(deadline.elapsed()).isEqualTo(Duration.ofMillis(230));
    }

    @Test
    void childDeadlineIsNeverLaterThanItsParent() {
        Deadline parent = Deadline.after(Duration.ofMillis(100), clock);

        assertThat(parent.child(Duration.ofSeconds(5)).remaining()).isEqualTo(Duration.ofMillis(100));
        assertThat(parent.child(Duration.ofMillis(40)).remaining()).isEqualTo(Duration.ofMillis(40));
    }

    @Test
    void zeroBudgetIsAlreadyExpiredAndNegativeBudgetIsRejected() {
        assertThat(Deadline.after(Duration.ZERO, clock).isExpired()).isTrue();
        assertThatThrownBy(() -> Deadline.after(Duration.ofMillis(-3), clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-0.003");
    }

    @Test
    void hugeBudgetsDoNotOverflow() {
        Deadline deadline = Deadline.after(Duration.ofDays(365 * 1000), clock);

        assertThat(deadline.isExpired()).isFalse();
        assertThat(deadline.remaining()).isGreaterThan(Duration.ofDays(365));
    }
}
