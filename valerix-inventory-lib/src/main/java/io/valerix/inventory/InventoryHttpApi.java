package io.valerix.inventory;

import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.http.Filter;
import io.valerix.core.http.JsonServer;
import io.valerix.inventory.internal.InventoryRoutes;
import java.util.Set;

/**
 * The inventory's HTTP API, installable on any {@link JsonServer.Builder}, so a service can add
 * its own routes and filters (gremlin, latency recording) around it.
 *
 * <ul>
 *   <li>{@code GET /inventory}: {@code {"items":[{"sku","available","reserved","total"}]}}
 *   <li>{@code GET /inventory/{sku}}: {@code {"sku","available","reserved","total"}}, or 404
 *       {@code sku-not-found}
 *   <li>{@code PUT /reservations/{orderId}} with {@code {"sku","quantity"}}: 200 {@code
 *       {"orderId","sku","quantity","status"}}; REJECTED and CANCELLED are answers, not errors
 *   <li>{@code GET /reservations/{orderId}}: 200 with the record, or 404 {@code
 *       reservation-not-found}
 *   <li>{@code DELETE /reservations/{orderId}}: 200 with RELEASED, CANCELLED or REJECTED
 *   <li>{@code GET /admin/reservations?prefix=&after=&limit=}: a read-only page of records ordered
 *       by order id, {@code {"items":[…],"next":"<after of the next page>"|null}}, for audits such
 *       as the chaos run's consistency check. It lists every order id, so keep {@code /admin/**}
 *       behind a {@link io.valerix.core.http.BearerTokenFilter} as the harness does.
 * </ul>
 *
 * <p>The full contract, with every status and problem type, is {@code api/openapi.yaml}. While a
 * reservation route runs, the order id is in the SLF4J MDC under {@code orderId}.
 *
 * <p>The routes hold no state of their own; they are as thread-safe as the service they serve.
 */
public final class InventoryHttpApi {

    /** The routes that change stock, which need the service token: {@code PUT} and {@code DELETE /reservations/{orderId}}. */
    public static final Set<String> WRITE_ROUTES =
            Set.of("PUT /reservations/{orderId}", "DELETE /reservations/{orderId}");

    private InventoryHttpApi() {}

    /**
     * The filter that lets only callers with the service token write reservations: {@link
     * #WRITE_ROUTES} without {@code Authorization: Bearer <serviceToken>} are 401 {@code
     * unauthorized}, with another token 403 {@code forbidden}, and change nothing. Reads pass.
     * {@link InventoryServer} installs it; install it first when serving the API yourself.
     *
     * @throws IllegalArgumentException if the token is shorter than {@value
     *     BearerTokenFilter#MIN_TOKEN_LENGTH} characters or not a bearer token
     */
    public static Filter writeGuard(String serviceToken) {
        return BearerTokenFilter.of("service", serviceToken, request -> WRITE_ROUTES.contains(request.route()));
    }

    /**
     * Adds the inventory routes, served by {@code service}, to {@code builder}.
     *
     * @return {@code builder}, for chaining; its {@code build()} reports a route added twice
     */
    public static JsonServer.Builder install(JsonServer.Builder builder, InventoryService service) {
        return InventoryRoutes.install(builder, service);
    }
}
