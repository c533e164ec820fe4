package io.valerix.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.valerix.core.testing.RawHttp;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Inventory's reservation writes need the service token; reads do not; nothing changes on a refusal. */
class ReservationWriteAuthTest {

    @RegisterExtension
    final InventoryServerExtension inventory = InventoryServerExtension.withStock("widget=10");

    @Test
    void reserveWithoutTokenIs401AndTakesNoStock() {
        List<String> before = inventory.snapshot();

        RawHttp.Reply reply = InventoryHttp.reserve(inventory.uri(), "o-1", "widget", 4, "Authorization", "");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.problemType()).isEqualTo("urn:valerix:problem:unauthorized");
        assertThat(reply.headers().get("www-authenticate")).containsExactly("Bearer realm=\"valerix-service\"");
        assertThat(inventory.snapshot()).isEqualTo(before);
    }

    @Test
    void reserveWithAnotherTokenIs403AndTakesNoStock() {
        List<String> before = inventory.snapshot();

        RawHttp.Reply reply = InventoryHttp.reserve(
                inventory.uri(), "o-1", "widget", 4, "Authorization", "Bearer not-the-service-token-at-all");

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.problemType()).isEqualTo("urn:valerix:problem:forbidden");
        assertThat(inventory.snapshot()).isEqualTo(before);
    }

    @Test
    void releaseWithoutTokenIs401AndLeavesTheReservation() {
        InventoryHttp.reserve(inventory.uri(), "o-1", "widget", 4);
        List<String> before = inventory.snapshot();

        RawHttp.Reply reply =
                InventoryHttp.send(inventory.uri(), "DELETE", "/reservations/o-1", null, null, "Authorization", "");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(inventory.snapshot()).isEqualTo(before);
        assertThat(InventoryHttp.stock(inventory.uri(), "widget")
                        .json()
                        .path("available")
                        .asInt())
                .isEqualTo(6);
    }

    @Test
    void readsNeedNoToken() {
        InventoryHttp.reserve(inventory.uri(), "o-1", "widget", 4);

        assertThat(InventoryHttp.send(inventory.uri(), "GET", "/reservations/o-1", null, null, "Authorization", "")
                        .status())
                .isEqualTo(200);
        assertThat(InventoryHttp.send(inventory.uri(), "GET", "/inventory/widget", null, null, "Authorization", "")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void theAdminTokenIsNotTheServiceToken(@TempDir Path dir) {
        // The service token is checked on its own: a request with any other bearer token is refused.
        RawHttp.Reply reply = InventoryHttp.reserve(
                inventory.uri(), "o-1", "widget", 1, "Authorization", "Bearer admin-token-0123456789abcdef");

        assertThat(reply.status()).isEqualTo(403);
    }

    @Test
    void buildRefusesNeitherTokenNorExplicitOptOut(@TempDir Path dir) {
        assertThatThrownBy(() -> InventoryServer.builder().dataDirectory(dir).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("serviceToken")
                .hasMessageContaining("allowUnauthenticatedWrites");
        assertThatThrownBy(() -> InventoryServer.builder()
                        .dataDirectory(dir)
                        .serviceToken(InventoryHttp.SERVICE_TOKEN)
                        .allowUnauthenticatedWrites()
                        .build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> InventoryServer.builder()
                        .dataDirectory(dir)
                        .serviceToken("short")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("service token must be at least 16 characters");
    }

    @Test
    void anExplicitlyOpenServerTakesUnauthenticatedWrites(@TempDir Path dir) {
        try (InventoryServer open = InventoryServer.builder()
                .dataDirectory(dir)
                .stock("widget=10")
                .allowUnauthenticatedWrites()
                .build()
                .start()) {
            RawHttp.Reply reply = InventoryHttp.reserve(open.uri(), "o-1", "widget", 4, "Authorization", "");

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.field("status")).isEqualTo("RESERVED");
        }
    }
}
