package io.valerix.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.valerix.core.deadline.Deadline;
import io.valerix.core.http.JsonClient;
import io.valerix.core.http.JsonRequest;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.ProblemType;
import io.valerix.core.http.RemoteProblemException;
import io.valerix.core.http.Response;
import io.valerix.core.http.TransportException;
import io.valerix.core.http.ValerixHeaders;
import io.valerix.core.time.ManualNanoClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final TransportException RESET = new TransportException("connection reset", null);

    @Test
    void idempotentCallIsRetriedUntilItSucceeds() {
        AtomicInteger attempts = new AtomicInteger();
        RetryPolicy policy = RetryPolicy.builder()
                .maxAttempts(3)
                .backoff(Duration.ZERO, Duration.ZERO)
                .build();

        String result = policy.call(Deadline.after(Duration.ofSeconds(1)), true, () -> {
            if (attempts.incrementAndGet() < 3) {
                throw RESET;
            }
            return "ok";
        });

        assertThat(result).isEqualTo("ok");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void nonIdempotentCallIsNeverRetried() {
        AtomicInteger attempts = new AtomicInteger();
        RetryPolicy policy = RetryPolicy.builder()
                .maxAttempts(5)
                .backoff(Duration.ZERO, Duration.ZERO)
                .build();

        assertThatThrownBy(() -> policy.call(Deadline.after(Duration.ofSeconds(1)), false, () -> {
                    attempts.incrementAndGet();
                    throw RESET;
                }))
                .isSameAs(RESET);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void permanentFailuresAreNotRetried() {
        AtomicInteger attempts = new AtomicInteger();
        RetryPolicy policy =
                RetryPolicy.builder().backoff(Duration.ZERO, Duration.ZERO).build();

        assertThatThrownBy(() -> policy.call(Deadline.after(Duration.ofSeconds(1)), true, () -> {
                    attempts.incrementAndGet();
                    throw new IllegalArgumentException("bad input");
                }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void retriesNeverStartOrSleepPastTheDeadline() {
        // The deadline reads a manual clock that only the attempts move (30 ms of work each), so
        // what is checked is the policy's decision, not how promptly a busy machine schedules it.
        ManualNanoClock clock = new ManualNanoClock();
        List<Long> attemptStarts = new CopyOnWriteArrayList<>();
        RetryPolicy policy = RetryPolicy.builder()
                .maxAttempts(1_000)
                .backoff(Duration.ofMillis(20), Duration.ofMillis(40))
                .budget(RetryBudget.builder().minRetries(1_000).build())
                .build();
        Deadline deadline = Deadline.after(Duration.ofMillis(300), clock);
        long start = clock.nanoTime();

        assertThatThrownBy(() -> policy.call(deadline, true, () -> {
                    attemptStarts.add(clock.nanoTime() - start);
                    clock.advance(Duration.ofMillis(30));
                    throw RESET;
                }))
                .isSameAs(RESET);

        // 30 ms per attempt against 300 ms: the deadline, not maxAttempts, ended the retries.
        assertThat(attemptStarts)
                .hasSizeBetween(5, 10)
                .allSatisfy(
                        at -> assertThat(at).isLessThan(Duration.ofMillis(300).toNanos()));
        assertThat(clock.nanoTime() - start)
                .isLessThanOrEqualTo(Duration.ofMillis(300 + 30).toNanos());
    }

    @Test
    void retriesStopWhenTheBudgetIsSpent() {
        ManualNanoClock clock = new ManualNanoClock();
        RetryBudget budget =
                RetryBudget.builder().ratio(0.2).minRetries(0).clock(clock).build();
        RetryPolicy policy = RetryPolicy.builder()
                .maxAttempts(3)
                .backoff(Duration.ZERO, Duration.ZERO)
                .budget(budget)
                .build();
        AtomicInteger attempts = new AtomicInteger();

        for (int i = 0; i < 100; i++) {
            try {
                policy.call(Deadline.after(Duration.ofSeconds(1)), true, () -> {
                    attempts.incrementAndGet();
                    throw RESET;
                });
            } catch (TransportException expected) {
                // Every call fails; only the number of attempts matters.
            }
        }

        // 100 first attempts earn 20 retries, however many each call would have liked.
        assertThat(attempts.get() - 100).isEqualTo(20);
    }

    @Test
    void budgetRefillsAsOldAttemptsLeaveTheWindow() {
        ManualNanoClock clock = new ManualNanoClock();
        RetryBudget budget = RetryBudget.builder()
                .ratio(0.5)
                .minRetries(0)
                .window(Duration.ofSeconds(10))
                .clock(clock)
                .build();
        for (int i = 0; i < 4; i++) {
            budget.recordFirstAttempt();
        }
        assertThat(budget.tryAcquireRetry()).isTrue();
        assertThat(budget.tryAcquireRetry()).isTrue();
        assertThat(budget.tryAcquireRetry()).isFalse();

        clock.advance(Duration.ofSeconds(11));

        assertThat(budget.tryAcquireRetry())
                .as("no recent attempts, no retries")
                .isFalse();
        budget.recordFirstAttempt();
        budget.recordFirstAttempt();
        assertThat(budget.tryAcquireRetry()).isTrue();
    }

    @Test
    void clientRetriesAnOverloadedPutButSendsAPostWithoutKeyOnce() {
        AtomicInteger puts = new AtomicInteger();
        AtomicInteger posts = new AtomicInteger();
        try (JsonServer server = JsonServer.builder()
                .route("PUT", "/r/{id}", r -> {
                    if (puts.incrementAndGet() < 3) {
                        throw ProblemType.OVERLOADED.exception("busy");
                    }
                    return Response.json(200, Map.of("ok", true));
                })
                .route("POST", "/orders", r -> {
                    posts.incrementAndGet();
                    throw ProblemType.OVERLOADED.exception("busy");
                })
                .build()
                .start()) {
            JsonClient client = JsonClient.builder(server.uri())
                    .retryPolicy(RetryPolicy.builder()
                            .maxAttempts(5)
                            .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
                            .build())
                    .build();
            // Shared by ten round trips: generous, so a loaded machine does not turn a retry count into a timeout.
            Deadline deadline = Deadline.after(Duration.ofSeconds(30));

            assertThat(client.send(JsonRequest.put(Map.of(), "/r/{id}", "1"), Map.class, deadline)
                            .status())
                    .isEqualTo(200);
            assertThatThrownBy(() -> client.send(JsonRequest.post(Map.of(), "/orders"), Void.class, deadline))
                    .isInstanceOf(RemoteProblemException.class);
            assertThat(puts).hasValue(3);
            assertThat(posts).hasValue(1);

            posts.set(0);
            assertThatThrownBy(() -> client.send(
                            JsonRequest.post(Map.of(), "/orders").withHeader(ValerixHeaders.IDEMPOTENCY_KEY, "k1"),
                            Void.class,
                            deadline))
                    .isInstanceOf(RemoteProblemException.class);
            assertThat(posts).as("a keyed POST is idempotent, so it is retried").hasValue(5);
        }
    }

    @Test
    void badSettingsAreRejectedWithTheValue() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0).build()).hasMessageContaining("but was 0");
        assertThatThrownBy(() -> RetryPolicy.builder()
                        .backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))
                        .build())
                .hasMessageContaining("must not exceed");
        assertThatThrownBy(() -> RetryBudget.builder().ratio(1.5).build()).hasMessageContaining("1.5");
    }
}
