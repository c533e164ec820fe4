package io.valerix.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OneCommitTransfersTest {

  @TempDir Path dataDir;

  @Test
  void aTransferClaimedWithItsFirstWriteIsWrittenOnceAndItsAnswerReplayed() throws Exception {
    try (OneCommitTransfers transfers = OneCommitTransfers.start(dataDir)) {
      String body = "{\"from\":\"acc-1\",\"to\":\"acc-2\",\"amountCents\":500}";

      HttpResponse<String> first = Http.postJson(transfers.uri().resolve("/transfers"), "t-1", body);
      HttpResponse<String> retry = Http.postJson(transfers.uri().resolve("/transfers"), "t-1", body);
      HttpResponse<String> invalid = Http.postJson(transfers.uri().resolve("/transfers"), "t-2", "{\"from\":\"acc-1\"}");

      assertThat(first.statusCode()).isEqualTo(201);
      assertThat(first.body()).contains("\"id\":\"tr-t-1\"", "\"state\":\"DONE\"");
      assertThat(retry.statusCode()).isEqualTo(201);
      assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
      assertThat(retry.body()).isEqualTo(first.body());
      assertThat(invalid.statusCode()).isEqualTo(400);
      assertThat(transfers.transferRows()).isEqualTo(1);
    }
  }
}
