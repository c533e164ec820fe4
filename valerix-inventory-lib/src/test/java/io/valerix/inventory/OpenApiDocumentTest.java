package io.valerix.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.http.ProblemType;
import io.valerix.core.testing.OpenApiDocument;
import io.valerix.core.testing.RawHttp;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keeps {@code api/openapi.yaml} true to what the inventory serves. */
class OpenApiDocumentTest {

    private static final List<String> ROUTES = List.of(
            "GET /inventory",
            "GET /inventory/{sku}",
            "PUT /reservations/{orderId}",
            "GET /reservations/{orderId}",
            "DELETE /reservations/{orderId}",
            "GET /admin/reservations");

    @RegisterExtension
    final InventoryServerExtension inventory = InventoryServerExtension.withStock("widget=1");

    @Test
    void everyRouteTheApiServesIsDocumented() throws Exception {
        // Other routes (the order service's, /health, /metrics) are documented here too, by their owners.
        List<String> documented = OpenApiDocument.read().routes().stream()
                .filter(route -> route.contains(" /inventory")
                        || route.contains(" /reservations")
                        || route.contains(" /admin/reservations"))
                .toList();

        assertThat(documented).containsExactlyInAnyOrderElementsOf(ROUTES);
        for (String route : ROUTES) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1)
                    .replace("{sku}", "widget")
                    .replace("{orderId}", "o-1");
            RawHttp.Reply reply = InventoryHttp.send(
                    inventory.uri(), method, path, "application/json", method.equals("PUT") ? "{}" : null);
            assertThat(reply.problemType())
                    .as(route)
                    .isNotIn("urn:valerix:problem:not-found", "urn:valerix:problem:method-not-allowed");
        }
    }

    @Test
    void everyInventoryProblemTypeIsDocumented() throws Exception {
        String document = OpenApiDocument.read().text();

        for (Field field : InventoryProblems.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == ProblemType.class) {
                ProblemType type = (ProblemType) field.get(null);
                String slug = type.type().toString().substring("urn:valerix:problem:".length());
                assertThat(document).as(field.getName()).contains("`" + slug + "`", "status: " + type.status());
            }
        }
    }
}
