package io.valerix.inventory.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.valerix.core.http.Handler;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.ProblemType;
import io.valerix.core.http.Request;
import io.valerix.core.http.Response;
import io.valerix.inventory.InventoryDeadlineException;
import io.valerix.inventory.InventoryProblems;
import io.valerix.inventory.InventoryService;
import io.valerix.inventory.Reservation;
import io.valerix.inventory.ReservationStatus;
import io.valerix.inventory.StockLevel;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The inventory's HTTP routes: JSON in and out, every rule and decision left to the {@link
 * InventoryService}. Documented in {@code api/openapi.yaml}; keep the two in step.
 */
public final class InventoryRoutes {

    /** The MDC key holding the order id while a reservation route runs. */
    public static final String MDC_ORDER_ID = "orderId";

    private static final Logger log = LoggerFactory.getLogger(InventoryRoutes.class);

    /** The body of {@code PUT /reservations/{orderId}}; a wider type than int so huge numbers get our message. */
    record ReserveBody(String sku, Long quantity) {}

    record StockBody(String sku, long available, long reserved, long total) {
        static StockBody of(StockLevel level) {
            return new StockBody(level.sku(), level.available(), level.reserved(), level.total());
        }
    }

    record StockListBody(List<StockBody> items) {}

    /** A page of records; {@code next} is the {@code after} of the next page, null on the last. */
    record ReservationPageBody(List<ReservationBody> items, String next) {}

    /** SKU and quantity are left out for a tombstone read back, which has neither. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ReservationBody(String orderId, String sku, Integer quantity, ReservationStatus status) {
        static ReservationBody of(Reservation reservation) {
            return new ReservationBody(
                    reservation.orderId(),
                    reservation.sku(),
                    reservation.sku() == null ? null : reservation.quantity(),
                    reservation.status());
        }
    }

    private final InventoryService service;

    private InventoryRoutes(InventoryService service) {
        this.service = service;
    }

    /** Adds the routes to {@code builder}. */
    public static JsonServer.Builder install(JsonServer.Builder builder, InventoryService service) {
        Objects.requireNonNull(builder, "builder");
        InventoryRoutes routes = new InventoryRoutes(Objects.requireNonNull(service, "service"));
        return builder.route("GET", "/inventory", routes::listStock)
                .route("GET", "/inventory/{sku}", routes::getStock)
                .route("PUT", "/reservations/{orderId}", forOrder(routes::reserve))
                .route("GET", "/reservations/{orderId}", forOrder(routes::find))
                .route("DELETE", "/reservations/{orderId}", forOrder(routes::release))
                .route("GET", "/admin/reservations", routes::listReservations);
    }

    private Response listStock(Request request) {
        List<StockBody> items =
                service.stockLevels().stream().map(StockBody::of).toList();
        return Response.json(200, new StockListBody(items));
    }

    private Response getStock(Request request) {
        String sku = request.pathParam("sku");
        StockLevel level = service.stockLevel(sku)
                .orElseThrow(() -> InventoryProblems.SKU_NOT_FOUND.exception("sku '" + sku + "' is not stocked"));
        return Response.json(200, StockBody.of(level));
    }

    private Response reserve(Request request, String orderId) {
        ReserveBody body = request.bodyAs(ReserveBody.class);
        InventoryInput.requireSku(body.sku());
        Reservation answer;
        try {
            answer = service.reserve(orderId, body.sku(), toInt(body.quantity()), request.deadline());
        } catch (InventoryDeadlineException e) {
            // The caller's budget ran out while the database was slow; it has stopped waiting.
            log.info("reserve gave up at the caller's deadline: {}", e.getMessage());
            throw ProblemType.DEADLINE_EXCEEDED.exception(
                    "the reservation did not finish within the caller's budget; nothing was taken");
        }
        log.debug("PUT reservation: {}", answer.status());
        return Response.json(200, ReservationBody.of(answer));
    }

    private Response listReservations(Request request) {
        int limit = pageLimit(request);
        List<Reservation> page = service.reservations(
                request.queryParam("prefix").orElse(""),
                request.queryParam("after").orElse(null),
                limit);
        String next = page.size() == limit ? page.get(page.size() - 1).orderId() : null;
        return Response.json(
                200,
                new ReservationPageBody(page.stream().map(ReservationBody::of).toList(), next));
    }

    private static int pageLimit(Request request) {
        String text = request.queryParam("limit").orElse(String.valueOf(InventoryService.MAX_PAGE));
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ProblemType.INVALID_REQUEST.exception("limit must be a whole number 1.." + InventoryService.MAX_PAGE
                    + ", but was " + InventoryInput.quote(text));
        }
    }

    private Response find(Request request, String orderId) {
        Reservation found = service.find(orderId);
        if (found.status() == ReservationStatus.NOT_FOUND) {
            throw InventoryProblems.RESERVATION_NOT_FOUND.exception("nothing is recorded for order '" + orderId + "'");
        }
        return Response.json(200, ReservationBody.of(found));
    }

    private Response release(Request request, String orderId) {
        Reservation answer = service.release(orderId);
        log.debug("DELETE reservation: {}", answer.status());
        return Response.json(200, ReservationBody.of(answer));
    }

    /** A reservation route's handler: gets the checked order id, and runs with it in the MDC. */
    @FunctionalInterface
    private interface OrderHandler {
        Response handle(Request request, String orderId);
    }

    private static Handler forOrder(OrderHandler handler) {
        return request -> {
            // Checked before it goes into the MDC, where a raw path segment could forge log lines.
            String orderId = request.pathParam("orderId");
            InventoryInput.requireOrderId(orderId);
            MDC.put(MDC_ORDER_ID, orderId);
            try {
                return handler.handle(request, orderId);
            } finally {
                MDC.remove(MDC_ORDER_ID);
            }
        };
    }

    /** Missing and beyond-int values are refused here; the service checks the configured range. */
    private static int toInt(Long quantity) {
        if (quantity == null) {
            throw InventoryProblems.INVALID_QUANTITY.exception("quantity is required");
        }
        if (quantity > Integer.MAX_VALUE || quantity < Integer.MIN_VALUE) {
            throw InventoryProblems.INVALID_QUANTITY.exception(
                    (quantity < 1 ? "quantity must be at least 1" : "quantity must be at most " + Integer.MAX_VALUE)
                            + ", but was " + quantity);
        }
        return quantity.intValue();
    }
}
