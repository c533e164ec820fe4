package io.valerix.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.testing.RawHttp;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OneCommitTransfersTest {

    @TempDir
    Path dataDir;

    @Test
    void aTransferClaimedWithItsFirstWriteIsWrittenOnceAndItsAnswerReplayed() throws Exception {
        try (OneCommitTransfers transfers = OneCommitTransfers.start(dataDir)) {
            String body = "{\"from\":\"acc-1\",\"to\":\"acc-2\",\"amountCents\":500}";

            RawHttp.Reply first =
                    RawHttp.post(transfers.uri().resolve("/transfers"), "", body, "Idempotency-Key", "t-1");
            RawHttp.Reply retry =
                    RawHttp.post(transfers.uri().resolve("/transfers"), "", body, "Idempotency-Key", "t-1");
            RawHttp.Reply invalid = RawHttp.post(
                    transfers.uri().resolve("/transfers"), "", "{\"from\":\"acc-1\"}", "Idempotency-Key", "t-2");

            assertThat(first.status()).isEqualTo(201);
            assertThat(first.body()).contains("\"id\":\"tr-t-1\"", "\"state\":\"DONE\"");
            assertThat(retry.status()).isEqualTo(201);
            assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(retry.body()).isEqualTo(first.body());
            assertThat(invalid.status()).isEqualTo(400);
            assertThat(transfers.transferRows()).isEqualTo(1);
        }
    }
}
