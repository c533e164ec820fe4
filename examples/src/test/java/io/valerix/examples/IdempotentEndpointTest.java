package io.valerix.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.core.testing.RawHttp;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One endpoint for the class (opening H2 and migrating costs a second); each test its own keys. */
class IdempotentEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    private static IdempotentEndpoint endpoint;
    private static URI payments;
    private int runsBefore;
    private int chargesBefore;

    @BeforeAll
    static void start() {
        endpoint = IdempotentEndpoint.start(dataDir);
        payments = endpoint.uri().resolve("/payments");
    }

    @AfterAll
    static void stop() {
        endpoint.close();
    }

    @BeforeEach
    void countFromHere() {
        runsBefore = endpoint.handlerRuns();
        chargesBefore = endpoint.chargesTaken();
    }

    private int handlerRuns() {
        return endpoint.handlerRuns() - runsBefore;
    }

    private int chargesTaken() {
        return endpoint.chargesTaken() - chargesBefore;
    }

    @Test
    void aRetryWithTheSameKeyIsReplayedAndChargesOnce() throws Exception {
        String body = "{\"account\":\"acc-1\",\"amountCents\":1200}";

        RawHttp.Reply first = RawHttp.post(payments, "", body, "Idempotency-Key", "\"k-1\"");
        RawHttp.Reply retry = RawHttp.post(payments, "", body, "Idempotency-Key", "k-1"); // the same key, written bare

        assertThat(first.status()).isEqualTo(201);
        assertThat(JSON.readTree(first.body()).path("id").asText()).isEqualTo("pay-k-1");
        assertThat(first.header("Location")).isEqualTo("/payments/pay-k-1");
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(handlerRuns()).isEqualTo(1);
        assertThat(chargesTaken()).isEqualTo(1);
    }

    @Test
    void thePaymentIdInTheBodyIsTheKeyWhenTheHeaderIsAbsent() {
        String body = "{\"paymentId\":\"p-7\",\"account\":\"acc-1\",\"amountCents\":300}";

        assertThat(RawHttp.post(payments, "", body).status()).isEqualTo(201);
        RawHttp.Reply retry = RawHttp.post(payments, "", body);

        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(handlerRuns()).isEqualTo(1);
    }

    @Test
    void aPaymentInReviewIsNotFinalSoARetryRunsTheHandlerUntilItIs() {
        String body = "{\"account\":\"acc-2\",\"amountCents\":" + (IdempotentEndpoint.REVIEW_ABOVE_CENTS + 1) + "}";

        RawHttp.Reply first = RawHttp.post(payments, "", body, "Idempotency-Key", "k-review");
        RawHttp.Reply stillInReview = RawHttp.post(payments, "", body, "Idempotency-Key", "k-review");
        endpoint.approve("pay-k-review");
        RawHttp.Reply approved = RawHttp.post(payments, "", body, "Idempotency-Key", "k-review");
        RawHttp.Reply replayed = RawHttp.post(payments, "", body, "Idempotency-Key", "k-review");

        assertThat(first.status()).isEqualTo(202);
        assertThat(stillInReview.status()).isEqualTo(202);
        assertThat(stillInReview.header("Idempotent-Replayed")).isNull();
        assertThat(approved.status()).isEqualTo(201);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(handlerRuns()).isEqualTo(3);
        assertThat(chargesTaken()).isEqualTo(1);
    }

    @Test
    void aFinalDeclineIsKeptAndReplayed() {
        String body = "{\"account\":\"acc-3\",\"amountCents\":" + (IdempotentEndpoint.DECLINE_ABOVE_CENTS + 1) + "}";

        RawHttp.Reply first = RawHttp.post(payments, "", body, "Idempotency-Key", "k-declined");
        RawHttp.Reply retry = RawHttp.post(payments, "", body, "Idempotency-Key", "k-declined");

        assertThat(first.status()).isEqualTo(402);
        assertThat(retry.status()).isEqualTo(402);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(handlerRuns()).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedAndABadChargeIsAProblem() throws Exception {
        RawHttp.post(payments, "", "{\"account\":\"acc-1\",\"amountCents\":100}", "Idempotency-Key", "k-2");

        RawHttp.Reply reused =
                RawHttp.post(payments, "", "{\"account\":\"acc-1\",\"amountCents\":999}", "Idempotency-Key", "k-2");
        RawHttp.Reply invalid =
                RawHttp.post(payments, "", "{\"account\":\"acc-1\",\"amountCents\":0}", "Idempotency-Key", "k-3");

        assertThat(reused.status()).isEqualTo(422);
        assertThat(JSON.readTree(reused.body()).path("type").asText())
                .isEqualTo("urn:valerix:problem:idempotency-key-reused");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.header("Content-Type"))
                .isNotNull()
                .satisfies(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(JSON.readTree(invalid.body()).path("type").asText()).isEqualTo("urn:valerix:problem:invalid-charge");
        assertThat(chargesTaken()).isEqualTo(1);
    }
}
