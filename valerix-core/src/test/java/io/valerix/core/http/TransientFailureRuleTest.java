package io.valerix.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.retry.RetryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP's rule for what may succeed when tried again, which the retry policy reads without knowing HTTP. */
class TransientFailureRuleTest {

    @ParameterizedTest
    @ValueSource(ints = {429, 502, 503, 504})
    void aProblemWhoseStatusSaysTryLaterIsTransient(int status) {
        RemoteProblemException problem =
                new RemoteProblemException("GET /x", status, Problem.of(ProblemType.OVERLOADED, null), null);

        assertThat(problem.isTransient()).isTrue();
        assertThat(RetryPolicy.TRANSIENT.test(problem)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 409, 422, 500, 501})
    void aProblemThatIsTheServersConsideredAnswerIsNotTransient(int status) {
        RemoteProblemException problem =
                new RemoteProblemException("GET /x", status, Problem.of(ProblemType.INVALID_REQUEST, null), null);

        assertThat(problem.isTransient()).isFalse();
        assertThat(RetryPolicy.TRANSIENT.test(problem)).isFalse();
    }

    @Test
    void aBrokenLinkIsTransient() {
        assertThat(RetryPolicy.TRANSIENT.test(new TransportException("connection reset", null)))
                .isTrue();
    }
}
