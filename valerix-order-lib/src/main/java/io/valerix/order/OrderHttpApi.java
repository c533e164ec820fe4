package io.valerix.order;

import io.valerix.core.deadline.Deadline;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.Problem;
import io.valerix.core.http.ProblemException;
import io.valerix.core.http.ProblemType;
import io.valerix.core.http.Request;
import io.valerix.core.http.Response;
import io.valerix.core.http.ValerixHeaders;
import io.valerix.core.idempotency.IdempotencyFilter;
import io.valerix.core.idempotency.KeyClaim;
import io.valerix.order.internal.OrderStoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The order service's HTTP routes: {@code POST /orders} and {@code GET /orders/{orderId}}.
 *
 * <p>{@code POST /orders} takes {@code {"orderId"?, "sku", "quantity"}}. The order id is the
 * body's {@code orderId}, or else one derived from the {@code Idempotency-Key} header, so retries
 * with the same key land on the same order. Replies carry the order and {@code Location}: 201
 * when this request created it and its outcome is known (CONFIRMED or REJECTED), 202 whenever it
 * is PENDING (first time or retry), 200 with the settled state when it existed already. The order
 * timeout counts from the request's arrival. Put the idempotency filter in front of this route for
 * the full key semantics (replay, 422 on a reused key, 409 while in progress).
 *
 * <p>{@code GET /admin/orders?prefix=&after=&limit=} is a read-only page of orders ordered by id,
 * {@code {"items":[…],"next":"<after of the next page>"|null}}, for audits such as the chaos run's
 * consistency check. It lists every order, so keep {@code /admin/**} behind a {@link
 * io.valerix.core.http.BearerTokenFilter} as the harness does.
 */
public final class OrderHttpApi {

    /** The JSON body of {@code POST /orders}. */
    public record PlaceOrderRequest(String orderId, String sku, Integer quantity) {}

    /** An order as the API shows it. */
    public record OrderView(
            String orderId,
            String sku,
            int quantity,
            OrderStatus status,
            String message,
            Instant createdAt,
            Instant updatedAt) {

        static OrderView of(Order order) {
            return new OrderView(
                    order.orderId(),
                    order.sku(),
                    order.quantity(),
                    order.status(),
                    order.message(),
                    order.createdAt(),
                    order.updatedAt());
        }
    }

    /** A page of orders; {@code next} is the {@code after} of the next page, null on the last. */
    public record OrderPage(List<OrderView> items, String next) {}

    /**
     * The order database did not answer within the order's timeout (no connection, a lock, a slow
     * statement) before the order was written; nothing was written, and a retry with the same key
     * after {@code Retry-After} is safe.
     */
    public static final ProblemType ORDER_STORE_UNAVAILABLE =
            ProblemType.of("order-store-unavailable", "Order database unavailable", 503);

    private static final Logger log = LoggerFactory.getLogger(OrderHttpApi.class);

    private OrderHttpApi() {}

    /** Adds the order routes to {@code server}, served by {@code service}. */
    public static JsonServer.Builder install(JsonServer.Builder server, OrderService service) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(service, "service");
        server.route("POST", "/orders", request -> place(service, request));
        server.route("GET", "/orders/{orderId}", request -> {
            String orderId = request.pathParam("orderId");
            MDC.put("orderId", orderId);
            try {
                return service.find(orderId)
                        .map(order -> Response.json(200, OrderView.of(order)))
                        .orElseThrow(() -> OrderProblems.ORDER_NOT_FOUND.exception("no order " + orderId));
            } finally {
                MDC.remove("orderId");
            }
        });
        server.route("GET", "/admin/orders", request -> {
            int limit = pageLimit(request);
            List<Order> page = service.list(
                    request.queryParam("prefix").orElse(""),
                    request.queryParam("after").orElse(null),
                    limit);
            String next = page.size() == limit ? page.get(page.size() - 1).orderId() : null;
            return Response.json(
                    200, new OrderPage(page.stream().map(OrderView::of).toList(), next));
        });
        return server;
    }

    private static int pageLimit(Request request) {
        String text = request.queryParam("limit").orElse(String.valueOf(OrderService.MAX_PAGE));
        if (!text.matches("[0-9]{1,9}")) {
            throw OrderProblems.INVALID_ORDER.exception("limit must be a whole number 1.." + OrderService.MAX_PAGE);
        }
        return Integer.parseInt(text);
    }

    private static Response place(OrderService service, Request request) {
        PlaceOrderRequest body = request.bodyAs(PlaceOrderRequest.class);
        if (body.quantity() == null) {
            throw OrderProblems.INVALID_ORDER.exception("quantity is required");
        }
        if (body.sku() == null) {
            throw OrderProblems.INVALID_ORDER.exception("sku is required");
        }
        // The key as the idempotency filter parsed it, so "abc" and abc name one order; without the
        // filter, the raw header.
        String orderId = body.orderId() != null
                ? body.orderId()
                : IdempotencyFilter.keyOf(request)
                        .or(() -> request.header(ValerixHeaders.IDEMPOTENCY_KEY))
                        .map(OrderHttpApi::orderIdForKey)
                        .orElseThrow(
                                () -> OrderProblems.INVALID_ORDER.exception(
                                        "send an Idempotency-Key header or an orderId in the body, so a retry cannot place a second order"));
        MDC.put("orderId", orderId);
        try {
            Deadline deadline = sinceArrival(request, service.timeout());
            Optional<KeyClaim> claim = IdempotencyFilter.claimOf(request);
            if (claim.isPresent()) {
                return service.place(
                        orderId, body.sku(), body.quantity(), deadline, claim.get(), placed -> answer(orderId, placed));
            }
            return answer(orderId, service.place(orderId, body.sku(), body.quantity(), deadline));
        } catch (OrderStoreException storeDown) {
            // Nothing was written: the order row (and with it the key's claim) did not commit, or it
            // was not even read in time. A retry with the same key is safe.
            log.warn("order database unavailable for order {}: {}", orderId, storeDown.getMessage());
            throw new ProblemException(
                    Problem.of(
                            ORDER_STORE_UNAVAILABLE,
                            "the order database did not answer in time; nothing was written, retry with the same key"),
                    RETRY_AFTER_SECONDS);
        } finally {
            MDC.remove("orderId");
        }
    }

    /** Seconds a client should wait before retrying after 503 {@code order-store-unavailable}. */
    static final String RETRY_AFTER_SECONDS = "1";

    private static Response answer(String orderId, PlacedOrder placed) {
        // A PENDING order is always 202, also on a retry, so no one stores it as a final answer.
        int status = placed.order().status() == OrderStatus.PENDING
                ? 202
                : placed.outcome() == PlacedOrder.Outcome.CREATED ? 201 : 200;
        // Order ids are letters, digits and . _ : - only, all safe in a path segment as they are.
        return Response.json(status, OrderView.of(placed.order())).withHeader("Location", "/orders/" + orderId);
    }

    /**
     * The request's deadline, cut to {@code timeout} after its arrival (when the server made it). The
     * timeout is what a client waits for its answer, so the work before this handler (the
     * idempotency claim) comes out of it too: under 20 concurrent orders on H2, the claim and the
     * order insert took up to 190 ms, and a timeout counted after them answered at 500 ms, not 300.
     */
    private static Deadline sinceArrival(Request request, Duration timeout) {
        Deadline deadline = request.deadline();
        Duration left = timeout.minus(deadline.elapsed());
        return deadline.child(left.isNegative() ? Duration.ZERO : left);
    }

    /** The order id for an idempotency key: the same key always gives the same id. */
    static String orderIdForKey(String key) {
        return "k-" + UUID.nameUUIDFromBytes(("valerix-order:" + key).getBytes(StandardCharsets.UTF_8));
    }
}
