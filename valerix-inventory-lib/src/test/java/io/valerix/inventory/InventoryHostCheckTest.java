package io.valerix.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.testing.RawHttp;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every inventory route answers only requests for a loopback or configured host: DNS rebinding gets 421. */
class InventoryHostCheckTest {

    @RegisterExtension
    final InventoryServerExtension inventory = InventoryServerExtension.withStock("widget=10");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "evil.example",
                "evil.example:8081",
                "127.0.0.1.evil.example",
                "localhost.evil.example:1",
                "10.0.0.1"
            })
    void aForeignHostIsRefusedWith421AndTakesNoStock(String host) {
        List<String> before = inventory.snapshot();

        RawHttp.Reply reply = InventoryHttp.reserve(inventory.uri(), "o-1", "widget", 4, "Host", host);

        assertThat(reply.status()).isEqualTo(421);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.problemType()).isEqualTo("urn:valerix:problem:host-not-allowed");
        assertThat(inventory.snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:1234", "localhost", "LOCALHOST:8081", "[::1]", "[::1]:8081"})
    void loopbackNamesWithAnyPortAreServed(String host) {
        RawHttp.Reply reply = InventoryHttp.send(inventory.uri(), "GET", "/inventory/widget", null, null, "Host", host);

        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void operatorRoutesCheckTheHostToo() {
        for (String path : List.of(
                "/health/live",
                "/health/ready",
                "/inventory",
                "/reservations/o-1",
                "/admin/reservations",
                "/nowhere")) {
            assertThat(InventoryHttp.send(inventory.uri(), "GET", path, null, null, "Host", "evil.example")
                            .status())
                    .as(path)
                    .isEqualTo(421);
        }
    }

    @Test
    void aConfiguredNameIsServed(@TempDir Path dir) {
        try (InventoryServer server = InventoryServer.builder()
                .dataDirectory(dir)
                .stock("widget=10")
                .serviceToken(InventoryHttp.SERVICE_TOKEN)
                .allowedHosts("inventory.internal")
                .build()
                .start()) {
            assertThat(InventoryHttp.send(
                                    server.uri(),
                                    "GET",
                                    "/inventory/widget",
                                    null,
                                    null,
                                    "Host",
                                    "inventory.internal:8081")
                            .status())
                    .isEqualTo(200);
            assertThat(InventoryHttp.send(
                                    server.uri(), "GET", "/inventory/widget", null, null, "Host", "other.internal")
                            .status())
                    .isEqualTo(421);
        }
    }
}
