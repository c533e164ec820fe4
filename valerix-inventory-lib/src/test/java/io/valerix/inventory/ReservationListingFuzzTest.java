package io.valerix.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.core.testing.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Any query string on {@code GET /admin/reservations}, through the real server: a page of records
 * that match the prefix, in order, no longer than the limit, or a problem+json 400; never a 5xx,
 * and a listing never changes the tables.
 */
class ReservationListingFuzzTest {

    private static FuzzedInventory inventory;

    @BeforeAll
    static void start() {
        inventory = new FuzzedInventory();
        inventory.reset();
    }

    @AfterAll
    static void stop() throws IOException {
        inventory.close();
    }

    @FuzzTest(maxDuration = "60s")
    void anyListingQueryPagesOrIsRefusedWithoutAChange(byte[] input) {
        String query = new String(input, StandardCharsets.UTF_8);
        HttpUrl url = HttpUrl.parse(inventory.uri() + "/admin/reservations?" + query);
        if (url == null) {
            return; // no client can send it
        }
        List<String> before = inventory.snapshot();

        RawHttp.Reply reply =
                InventoryHttp.send(inventory.uri(), "GET", url.encodedPath() + "?" + url.encodedQuery(), null, null);

        assertThat(reply.status()).as("?%s -> %s", url.encodedQuery(), reply).isIn(200, 400);
        assertThat(inventory.snapshot()).isEqualTo(before);
        if (reply.status() == 400) {
            assertThat(reply.contentType()).startsWith("application/problem+json");
            return;
        }
        String prefix = url.queryParameter("prefix") == null ? "" : url.queryParameter("prefix");
        String limit = url.queryParameter("limit");
        JsonNode page = reply.json();
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(item -> ids.add(item.path("orderId").asText()));
        assertThat(ids).isSorted().allMatch(id -> id.startsWith(prefix));
        if (limit != null && limit.strip().matches("[0-9]{1,4}")) {
            assertThat(ids.size()).isLessThanOrEqualTo(Integer.parseInt(limit.strip()));
        }
    }
}
