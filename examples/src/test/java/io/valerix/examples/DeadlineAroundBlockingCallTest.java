package io.valerix.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.http.JsonServer;
import io.valerix.examples.DeadlineAroundBlockingCall.Outcome;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class DeadlineAroundBlockingCallTest {

    private static final OkHttpClient CLIENT = new OkHttpClient();

    @AfterAll
    static void closeClient() {
        CLIENT.dispatcher().executorService().shutdown();
        CLIENT.connectionPool().evictAll();
    }

    @Test
    void aCallPastItsDeadlineIsCancelledInsteadOfWaitingForTheSlowServer() {
        // given a server that answers after 5 s
        try (JsonServer server = DeadlineAroundBlockingCall.slowServer(Duration.ofSeconds(5))) {
            // when the call gets 300 ms
            Outcome outcome =
                    DeadlineAroundBlockingCall.fetch(CLIENT, server.uri().resolve("/slow"), Duration.ofMillis(300));

            // then it ends with the deadline, its OkHttp call cancelled, long before the server answers
            assertThat(outcome.deadlineExceeded()).isTrue();
            assertThat(outcome.callCancelled()).isTrue();
            assertThat(outcome.elapsed())
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300))
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(outcome.body()).isNull();
        }
    }

    @Test
    void aCallWithinItsDeadlineReturnsTheBody() {
        try (JsonServer server = DeadlineAroundBlockingCall.slowServer(Duration.ofMillis(1))) {
            Outcome outcome =
                    DeadlineAroundBlockingCall.fetch(CLIENT, server.uri().resolve("/slow"), Duration.ofSeconds(20));

            assertThat(outcome.deadlineExceeded()).isFalse();
            assertThat(outcome.callCancelled()).isFalse();
            assertThat(outcome.body()).isEqualTo("{\"slow\":true}");
        }
    }
}
