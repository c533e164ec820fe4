package io.valerix.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.core.testing.RawHttp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /admin/reservations: a read-only, prefix-filtered, paged listing for audits. */
class ReservationListingHttpTest {

    @RegisterExtension
    final InventoryServerExtension inventory = InventoryServerExtension.withStock("widget=10,gadget=1");

    @Test
    void listsTheRecordsOfAPrefixInPagesOrderedByOrderId() {
        for (String id : List.of("run_1-3", "run_1-1", "run_1-2", "runX1-9", "other-1")) {
            InventoryHttp.reserve(inventory.uri(), id, "widget", 1);
        }
        InventoryHttp.release(inventory.uri(), "run_1-4");

        List<String> ids = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            JsonNode page = InventoryHttp.send(
                            inventory.uri(),
                            "GET",
                            "/admin/reservations?prefix=run_1-&limit=2" + (after == null ? "" : "&after=" + after),
                            null,
                            null)
                    .json();
            page.path("items")
                    .forEach(item -> ids.add(item.path("orderId").asText() + ":"
                            + item.path("status").asText()));
            after = page.path("next").isNull() ? null : page.path("next").asText();
            pages++;
        } while (after != null && pages < 10);

        // '_' in the prefix is a literal, not a LIKE wildcard: runX1-9 is not listed.
        assertThat(ids)
                .containsExactly("run_1-1:RESERVED", "run_1-2:RESERVED", "run_1-3:RESERVED", "run_1-4:CANCELLED");
    }

    @Test
    void aBadLimitOrPrefixIsRefusedAndChangesNothing() {
        RawHttp.Reply badLimit =
                InventoryHttp.send(inventory.uri(), "GET", "/admin/reservations?limit=1001", null, null);
        RawHttp.Reply notANumber =
                InventoryHttp.send(inventory.uri(), "GET", "/admin/reservations?limit=many", null, null);
        RawHttp.Reply badPrefix =
                InventoryHttp.send(inventory.uri(), "GET", "/admin/reservations?prefix=a%25b", null, null);

        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.problemType()).isEqualTo("urn:valerix:problem:invalid-request");
        assertThat(notANumber.problemType()).isEqualTo("urn:valerix:problem:invalid-request");
        assertThat(badPrefix.problemType()).isEqualTo("urn:valerix:problem:invalid-order-id");
    }
}
