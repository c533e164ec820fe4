package io.valerix.order;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.valerix.core.deadline.Deadline;
import io.valerix.core.deadline.DeadlineExceededException;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.http.CallListener;
import io.valerix.core.http.JsonClient;
import io.valerix.core.http.JsonRequest;
import io.valerix.core.http.RemoteProblemException;
import io.valerix.core.http.TransportException;
import io.valerix.core.retry.RetryPolicy;
import io.valerix.inventory.InventoryProblems;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@link InventoryClient} over HTTP: OkHttp with the deadline's remaining budget sent downstream
 * and the call cancelled when it passes. Idempotent calls (all of them: reservations are keyed by
 * order id) are retried on transient failures while the deadline and the retry budget allow.
 *
 * <p>Only inventory's own problems for a request it did not act on are refusals ({@link
 * InventoryRefusedException}); a 5xx, a timeout, a broken link or any other 4xx leaves the
 * outcome unknown ({@link InventoryUnavailableException}).
 *
 * <p>Immutable and thread-safe.
 */
public final class HttpInventoryClient implements InventoryClient {

    private static final String NOT_FOUND_TYPE =
            InventoryProblems.RESERVATION_NOT_FOUND.type().toString();

    /**
     * The 4xx problems after which inventory has changed nothing ({@link
     * InventoryProblems#NOTHING_CHANGED}). Any other 4xx leaves the outcome unknown on purpose:
     * taken for a refusal, a forged or unknown one made a reserved order REJECTED and a reconciled
     * one FAILED, with the stock held for neither.
     */
    private static final Set<String> REFUSALS = InventoryProblems.NOTHING_CHANGED.stream()
            .map(problem -> problem.type().toString())
            .collect(Collectors.toUnmodifiableSet());

    private final JsonClient client;
    private final String authorization;

    /**
     * A client of the inventory service at {@code baseUri}.
     *
     * @param serviceToken sent as {@code Authorization: Bearer <serviceToken>} with every call;
     *     inventory's reservation writes need it (an inventory that allows unauthenticated writes
     *     ignores it)
     * @param listener told about every call, for the latency monitor
     * @throws IllegalArgumentException if the token is not a bearer token Valerix accepts
     */
    public HttpInventoryClient(URI baseUri, String serviceToken, CallListener listener) {
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(listener, "listener");
        this.authorization = "Bearer " + BearerTokenFilter.validToken("service", serviceToken);
        this.client = JsonClient.builder(baseUri)
                .name("inventory")
                .retryPolicy(RetryPolicy.builder().maxAttempts(3).build())
                .callListener(listener)
                .build();
    }

    record ReserveBody(String sku, int quantity) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ReservationReply(String orderId, String status) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record StockItem(String sku) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record StockList(List<StockItem> items) {}

    @Override
    public ReservationStatus reserve(String orderId, String sku, int quantity, Deadline deadline) {
        return status(() -> client.send(
                        authorized(JsonRequest.put(new ReserveBody(sku, quantity), "/reservations/{orderId}", orderId)),
                        ReservationReply.class,
                        deadline)
                .body());
    }

    @Override
    public ReservationStatus find(String orderId, Deadline deadline) {
        try {
            return status(() -> client.send(
                            authorized(JsonRequest.get("/reservations/{orderId}", orderId)),
                            ReservationReply.class,
                            deadline)
                    .body());
        } catch (InventoryRefusedException refused) {
            if (NOT_FOUND_TYPE.equals(refused.problemType())) {
                return ReservationStatus.NOT_FOUND;
            }
            throw refused;
        }
    }

    @Override
    public ReservationStatus cancel(String orderId, Deadline deadline) {
        return status(() -> client.send(
                        authorized(JsonRequest.delete("/reservations/{orderId}", orderId)),
                        ReservationReply.class,
                        deadline)
                .body());
    }

    @Override
    public Set<String> skus(Deadline deadline) {
        StockList list = call(() -> client.send(authorized(JsonRequest.get("/inventory")), StockList.class, deadline)
                .body());
        return list.items().stream().map(StockItem::sku).collect(Collectors.toUnmodifiableSet());
    }

    private JsonRequest authorized(JsonRequest request) {
        return request.withHeader("Authorization", authorization);
    }

    private static ReservationStatus status(Supplier<ReservationReply> call) {
        ReservationReply reply = call(call);
        if (reply == null || reply.status() == null) {
            throw new InventoryUnavailableException("inventory answered without a reservation status", null);
        }
        try {
            return ReservationStatus.valueOf(reply.status());
        } catch (IllegalArgumentException unknown) {
            throw new InventoryUnavailableException(
                    "inventory answered an unknown status '" + reply.status() + "'", unknown);
        }
    }

    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (DeadlineExceededException | TransportException e) {
            throw new InventoryUnavailableException(e.getMessage(), e);
        } catch (RemoteProblemException e) {
            if (e.status() >= 500 || !REFUSALS.contains(e.type().toString())) {
                throw new InventoryUnavailableException(e.getMessage(), e);
            }
            throw new InventoryRefusedException(
                    e.type().toString(), e.detail() == null ? e.getMessage() : e.detail(), e);
        }
    }
}
