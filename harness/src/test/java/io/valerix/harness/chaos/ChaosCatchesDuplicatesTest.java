package io.valerix.harness.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.harness.cli.ExitCodes;
import io.valerix.harness.cli.ValerixCli;
import io.valerix.harness.report.RunFiles;
import io.valerix.inventory.InventoryService;
import io.valerix.inventory.Reservation;
import io.valerix.inventory.StockLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check can fail: an inventory that ignores the order id (every reserve takes stock under a
 * fresh id, as an inventory without idempotency would) must be caught as duplicated, with exit 1.
 */
@Tag("slow")
class ChaosCatchesDuplicatesTest {

    @TempDir
    Path dir;

    /** Reserves under a fresh id every time; answers as if it had reserved under the order id. */
    static final class IgnoresOrderId implements InventoryService {
        private final InventoryService real;
        private final AtomicLong fresh = new AtomicLong();

        IgnoresOrderId(InventoryService real) {
            this.real = real;
        }

        @Override
        public Reservation reserve(String orderId, String sku, int quantity) {
            Reservation taken = real.reserve(orderId + "-again-" + fresh.incrementAndGet(), sku, quantity);
            return new Reservation(orderId, taken.sku(), taken.quantity(), taken.status());
        }

        @Override
        public Reservation release(String orderId) {
            return real.release(orderId);
        }

        @Override
        public Reservation find(String orderId) {
            return real.find(orderId);
        }

        @Override
        public Optional<StockLevel> stockLevel(String sku) {
            return real.stockLevel(sku);
        }

        @Override
        public List<StockLevel> stockLevels() {
            return real.stockLevels();
        }

        @Override
        public List<Reservation> reservations(String prefix, String after, int limit) {
            return real.reservations(prefix, after, limit);
        }
    }

    @Test
    void anInventoryThatIgnoresTheOrderIdFailsTheVerdictAsDuplicated() throws Exception {
        Path runDir = dir.resolve("run");
        try (BrokenServices services = new BrokenServices(dir, IgnoresOrderId::new, null, null)) {

            int exit = ValerixCli.execute(services.chaosArgs(runDir));

            JsonNode summary =
                    RunFiles.mapper().readTree(runDir.resolve(RunFiles.SUMMARY).toFile());
            assertThat(exit).as("summary %s", summary).isEqualTo(ExitCodes.FAILED_VERDICT);
            assertThat(summary.path("verdict").asText()).isEqualTo("FAIL");
            assertThat(summary.path("duplicated").asLong()).isPositive();
            assertThat(summary.path("findings").findValuesAsText("category")).contains("duplicated");
            assertThat(summary.path("findings").findValuesAsText("subject")).anyMatch(id -> id.contains("-again-"));
            assertThat(Files.readString(runDir.resolve(RunFiles.REPORT))).contains(">FAIL<", "-again-");
        }
    }
}
