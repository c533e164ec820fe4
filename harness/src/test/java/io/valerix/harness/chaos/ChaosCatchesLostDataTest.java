package io.valerix.harness.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.core.http.Filter;
import io.valerix.core.http.Response;
import io.valerix.harness.cli.ExitCodes;
import io.valerix.harness.cli.ValerixCli;
import io.valerix.harness.report.RunFiles;
import io.valerix.order.OrderHttpApi.OrderView;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check names what was broken behind the services' backs: a confirmed order deleted from the
 * order database after the client was told CONFIRMED (a durability bug) is lost; stock taken out
 * of the inventory database without a reservation is unconserved.
 */
@Tag("slow")
class ChaosCatchesLostDataTest {

    @TempDir
    Path dir;

    @Test
    void aDeletedConfirmedOrderIsLostAndEditedStockIsUnconserved() throws Exception {
        Path runDir = dir.resolve("run");
        AtomicReference<BrokenServices> ref = new AtomicReference<>();
        AtomicReference<String> deleted = new AtomicReference<>();
        AtomicInteger reserves = new AtomicInteger();

        // After the 10th confirmation is sent, its order row disappears.
        AtomicInteger confirmations = new AtomicInteger();
        Filter forgetsAConfirmedOrder = (request, next) -> {
            Response response = next.handle(request);
            JsonNode order = response.status() == 201 ? body(response) : null;
            if (order != null
                    && "CONFIRMED".equals(order.path("status").asText())
                    && order.path("orderId").asText().startsWith("chaos-")
                    && confirmations.incrementAndGet() == 10) {
                execute(
                        ref.get().orderDb,
                        "DELETE FROM orders WHERE order_id = ?",
                        order.path("orderId").asText());
                deleted.set(order.path("orderId").asText());
            }
            return response;
        };
        // At the 50th reservation request, one widget vanishes from the stock table.
        Filter losesStock = (request, next) -> {
            if (request.method().equals("PUT")
                    && request.path().contains("chaos-")
                    && reserves.incrementAndGet() == 50) {
                execute(
                        ref.get().inventoryDb,
                        "UPDATE inventory_stock SET available = available - 1 WHERE sku = ? AND available > 0",
                        "widget");
            }
            return next.handle(request);
        };

        try (BrokenServices services =
                new BrokenServices(dir, inventory -> inventory, losesStock, forgetsAConfirmedOrder)) {
            ref.set(services);

            int exit = ValerixCli.execute(services.chaosArgs(runDir));

            JsonNode summary =
                    RunFiles.mapper().readTree(runDir.resolve(RunFiles.SUMMARY).toFile());
            assertThat(exit).as("summary %s", summary).isEqualTo(ExitCodes.FAILED_VERDICT);
            assertThat(deleted.get()).isNotNull();
            assertThat(summary.path("lost").asLong()).isEqualTo(1);
            assertThat(summary.path("unconserved").asLong()).isEqualTo(1);
            assertThat(summary.path("duplicated").asLong()).isZero();
            List<String> subjects = summary.path("findings").findValuesAsText("subject");
            assertThat(subjects).contains(deleted.get(), "widget");
        }
    }

    /** The answer's JSON, whether the idempotency filter turned it into bytes or not. */
    private static JsonNode body(Response response) throws java.io.IOException {
        if (response.entity() instanceof OrderView view) {
            return RunFiles.mapper().valueToTree(view);
        }
        return response.bytes() == null ? null : RunFiles.mapper().readTree(response.bytes());
    }

    private static void execute(javax.sql.DataSource db, String sql, String value) {
        try (Connection connection = db.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, value);
            statement.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
