package io.valerix.harness.chaos.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.harness.chaos.DatabaseSnapshot.OrderRow;
import io.valerix.harness.chaos.DatabaseSnapshot.ReservationRow;
import io.valerix.harness.chaos.DatabaseSnapshot.StockRow;
import io.valerix.harness.chaos.ServiceTarget;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads both databases through the services' read-only routes: {@code GET /inventory}, and the
 * paged admin listings {@code GET /admin/orders} and {@code GET /admin/reservations} filtered by
 * the run's prefix. Works the same for services started here and for given URLs. Thread-safe.
 */
public final class DatabaseReader implements AutoCloseable {

    /** At most this many pages of 1000 are read, so a huge database cannot hang the check. */
    private static final int MAX_PAGES = 2_000;

    private final ServiceTarget target;
    private final HttpJson http = new HttpJson(Duration.ofSeconds(60));

    public DatabaseReader(ServiceTarget target) {
        this.target = target;
    }

    public List<StockRow> stock() {
        List<StockRow> rows = new ArrayList<>();
        for (JsonNode item : http.get(target.inventoryUri(), "/inventory", null).path("items")) {
            rows.add(new StockRow(
                    item.path("sku").asText(),
                    item.path("available").asLong(),
                    item.path("reserved").asLong(),
                    item.path("total").asLong()));
        }
        return rows;
    }

    public List<OrderRow> orders(String prefix) {
        List<OrderRow> rows = new ArrayList<>();
        page(
                target.orderUri(),
                "/admin/orders",
                target.orderAdminToken(),
                prefix,
                item -> rows.add(new OrderRow(
                        item.path("orderId").asText(),
                        item.path("sku").asText(null),
                        item.path("quantity").asInt(),
                        item.path("status").asText())));
        return rows;
    }

    public List<ReservationRow> reservations(String prefix) {
        List<ReservationRow> rows = new ArrayList<>();
        page(
                target.inventoryUri(),
                "/admin/reservations",
                target.inventoryAdminToken(),
                prefix,
                item -> rows.add(new ReservationRow(
                        item.path("orderId").asText(),
                        item.path("sku").asText(null),
                        item.path("quantity").asInt(0),
                        item.path("status").asText())));
        return rows;
    }

    private void page(
            java.net.URI base, String path, String token, String prefix, java.util.function.Consumer<JsonNode> sink) {
        String after = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            String query =
                    path + "?limit=1000&prefix=" + encode(prefix) + (after == null ? "" : "&after=" + encode(after));
            JsonNode body = http.get(base, query, token);
            body.path("items").forEach(sink);
            JsonNode next = body.path("next");
            if (next.isNull() || next.isMissingNode()) {
                return;
            }
            after = next.asText();
        }
        throw new IllegalStateException(path + " has more than " + MAX_PAGES + " pages for prefix " + prefix);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.close();
    }
}
