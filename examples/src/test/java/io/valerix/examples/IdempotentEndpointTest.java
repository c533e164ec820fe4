package io.valerix.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One endpoint for the class (opening H2 and migrating costs a second); each test its own keys. */
class IdempotentEndpointTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
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

    HttpResponse<String> first = Http.postJson(payments, "\"k-1\"", body);
    HttpResponse<String> retry = Http.postJson(payments, "k-1", body);   // the same key, written bare

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(JSON.readTree(first.body()).path("id").asText()).isEqualTo("pay-k-1");
    assertThat(first.headers().firstValue("Location")).hasValue("/payments/pay-k-1");
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(retry.body()).isEqualTo(first.body());
    assertThat(handlerRuns()).isEqualTo(1);
    assertThat(chargesTaken()).isEqualTo(1);
  }

  @Test
  void thePaymentIdInTheBodyIsTheKeyWhenTheHeaderIsAbsent() {
    String body = "{\"paymentId\":\"p-7\",\"account\":\"acc-1\",\"amountCents\":300}";

    assertThat(Http.postJson(payments, null, body).statusCode()).isEqualTo(201);
    HttpResponse<String> retry = Http.postJson(payments, null, body);

    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(handlerRuns()).isEqualTo(1);
  }

  @Test
  void aPaymentInReviewIsNotFinalSoARetryRunsTheHandlerUntilItIs() {
    String body = "{\"account\":\"acc-2\",\"amountCents\":" + (IdempotentEndpoint.REVIEW_ABOVE_CENTS + 1) + "}";

    HttpResponse<String> first = Http.postJson(payments, "k-review", body);
    HttpResponse<String> stillInReview = Http.postJson(payments, "k-review", body);
    endpoint.approve("pay-k-review");
    HttpResponse<String> approved = Http.postJson(payments, "k-review", body);
    HttpResponse<String> replayed = Http.postJson(payments, "k-review", body);

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(stillInReview.statusCode()).isEqualTo(202);
    assertThat(stillInReview.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(approved.statusCode()).isEqualTo(201);
    assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(handlerRuns()).isEqualTo(3);
    assertThat(chargesTaken()).isEqualTo(1);
  }

  @Test
  void aFinalDeclineIsKeptAndReplayed() {
    String body = "{\"account\":\"acc-3\",\"amountCents\":" + (IdempotentEndpoint.DECLINE_ABOVE_CENTS + 1) + "}";

    HttpResponse<String> first = Http.postJson(payments, "k-declined", body);
    HttpResponse<String> retry = Http.postJson(payments, "k-declined", body);

    assertThat(first.statusCode()).isEqualTo(402);
    assertThat(retry.statusCode()).isEqualTo(402);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(handlerRuns()).isEqualTo(1);
  }

  @Test
  void theSameKeyWithAnotherBodyIsRefusedAndABadChargeIsAProblem() throws Exception {
    Http.postJson(payments, "k-2", "{\"account\":\"acc-1\",\"amountCents\":100}");

    HttpResponse<String> reused = Http.postJson(payments, "k-2", "{\"account\":\"acc-1\",\"amountCents\":999}");
    HttpResponse<String> invalid = Http.postJson(payments, "k-3", "{\"account\":\"acc-1\",\"amountCents\":0}");

    assertThat(reused.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(reused.body()).path("type").asText()).isEqualTo("urn:valerix:problem:idempotency-key-reused");
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    assertThat(JSON.readTree(invalid.body()).path("type").asText()).isEqualTo("urn:valerix:problem:invalid-charge");
    assertThat(chargesTaken()).isEqualTo(1);
  }
}
