package io.valerix.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.testing.RawHttp;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryServerTest {

    @TempDir
    Path dir;

    @Test
    void serverOnADataDirectoryKeepsStockAcrossRestarts() {
        try (InventoryServer server = InventoryServer.builder()
                .serviceToken(InventoryHttp.SERVICE_TOKEN)
                .dataDirectory(dir)
                .stock("widget=10")
                .build()
                .start()) {
            assertThat(server.uri().getHost()).isEqualTo("127.0.0.1");
            assertThat(InventoryHttp.reserve(server.uri(), "o-1", "widget", 4).field("status"))
                    .isEqualTo("RESERVED");
        }

        try (InventoryServer restarted = InventoryServer.builder()
                .serviceToken(InventoryHttp.SERVICE_TOKEN)
                .dataDirectory(dir)
                .stock("widget=10")
                .build()
                .start()) {
            assertThat(InventoryHttp.find(restarted.uri(), "o-1").field("status"))
                    .isEqualTo("RESERVED");
            assertThat(restarted.service().stockLevel("widget")).contains(new StockLevel("widget", 6, 4, 10));
        }
    }

    @Test
    void serverClosesTheDatabaseItOpened() throws Exception {
        InventoryServer server = InventoryServer.builder()
                .serviceToken(InventoryHttp.SERVICE_TOKEN)
                .dataDirectory(dir)
                .stock("widget=10")
                .build()
                .start();

        server.close();

        // An open H2 database holds a lock on its file; this JVM could not take it a second time.
        try (FileChannel file = FileChannel.open(dir.resolve("inventory.mv.db"), StandardOpenOption.WRITE);
                FileLock lock = file.tryLock()) {
            assertThat(lock).isNotNull();
        }
        assertThatThrownBy(server::uri).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void serverLeavesAGivenDataSourceOpen() {
        try (HikariDataSource db = H2Database.open(dir, "inventory", 2)) {
            InventoryServer.builder()
                    .serviceToken(InventoryHttp.SERVICE_TOKEN)
                    .dataSource(db)
                    .stock("widget=10")
                    .build()
                    .start()
                    .close();

            assertThat(db.isClosed()).isFalse();
            assertThat(InventoryService.create(db, InventoryConfig.builder().build())
                            .stockLevel("widget"))
                    .isPresent();
        }
    }

    @Test
    void extraFiltersWrapTheInventoryRoutesInTheOrderAdded() {
        List<String> trace = new CopyOnWriteArrayList<>();
        try (InventoryServer server = InventoryServer.builder()
                .serviceToken(InventoryHttp.SERVICE_TOKEN)
                .dataDirectory(dir)
                .stock("widget=10")
                .filter((request, next) -> {
                    trace.add("outer " + request.route());
                    return next.handle(request).withHeader("X-Outer", "yes");
                })
                .filter((request, next) -> {
                    trace.add("inner");
                    return next.handle(request);
                })
                .build()
                .start()) {
            RawHttp.Reply reply = InventoryHttp.reserve(server.uri(), "o-1", "widget", 1);

            assertThat(reply.headers()).containsEntry("x-outer", List.of("yes"));
            assertThat(trace).containsExactly("outer PUT /reservations/{orderId}", "inner");
        }
    }

    @Test
    void builderRefusesConflictingOrMissingSettingsNamingThem() {
        assertThatThrownBy(() -> InventoryServer.builder()
                        .serviceToken(InventoryHttp.SERVICE_TOKEN)
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("exactly one of dataDirectory and dataSource must be set, but neither was");
        try (HikariDataSource db = H2Database.open(dir, "inventory", 1)) {
            assertThatThrownBy(() -> InventoryServer.builder()
                            .serviceToken(InventoryHttp.SERVICE_TOKEN)
                            .dataDirectory(dir)
                            .dataSource(db)
                            .build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("exactly one of dataDirectory and dataSource must be set, but both were");
            assertThatThrownBy(() -> InventoryServer.builder()
                            .serviceToken(InventoryHttp.SERVICE_TOKEN)
                            .dataSource(db)
                            .maxPoolSize(4)
                            .build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("maxPoolSize");
        }
        assertThatThrownBy(() -> InventoryServer.builder()
                        .serviceToken(InventoryHttp.SERVICE_TOKEN)
                        .dataDirectory(dir)
                        .port(70000)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be 0..65535, but was 70000");
        assertThatThrownBy(() -> InventoryServer.builder()
                        .serviceToken(InventoryHttp.SERVICE_TOKEN)
                        .dataDirectory(dir)
                        .maxPoolSize(0)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPoolSize must be at least 1, but was 0");
        assertThatThrownBy(() -> InventoryServer.builder()
                        .serviceToken(InventoryHttp.SERVICE_TOKEN)
                        .dataDirectory(dir)
                        .maxQuantity(0)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxQuantity must be at least 1, but was 0");
    }

    @Test
    void serverThatCannotBindClosesTheDatabaseItOpened() throws Exception {
        try (InventoryServer first = InventoryServer.builder()
                .serviceToken(InventoryHttp.SERVICE_TOKEN)
                .dataDirectory(dir.resolve("a"))
                .build()
                .start()) {
            InventoryServer second = InventoryServer.builder()
                    .serviceToken(InventoryHttp.SERVICE_TOKEN)
                    .dataDirectory(dir.resolve("b"))
                    .bindAddress(InetAddress.getLoopbackAddress())
                    .port(first.port())
                    .build();

            assertThatThrownBy(second::start).isInstanceOf(java.io.UncheckedIOException.class);

            try (FileChannel file =
                            FileChannel.open(dir.resolve("b").resolve("inventory.mv.db"), StandardOpenOption.WRITE);
                    FileLock lock = file.tryLock()) {
                assertThat(lock).isNotNull();
            }
        }
    }
}
