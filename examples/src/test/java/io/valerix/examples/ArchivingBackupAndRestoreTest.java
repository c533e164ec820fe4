package io.valerix.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.BackupQuotaExceededException;
import io.valerix.core.backup.BackupReceipt;
import io.valerix.core.backup.DatabaseDigest;
import io.valerix.core.backup.JournalArchiver;
import io.valerix.core.backup.RestoreResult;
import io.valerix.core.http.JsonServer;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.journal.ChangeJournal;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archiving, the daily backup and a point-in-time restore of a journaled H2 database, with the
 * JDK's HttpServer standing in for the off-site backup service (it counts the calls it gets).
 */
class ArchivingBackupAndRestoreTest {

    private static final String TOKEN = "example-admin-token-0123456789";

    @TempDir
    Path dir;

    private final List<String> backupCalls = new CopyOnWriteArrayList<>();
    private HttpServer backupService;
    private HikariDataSource live;
    private ArchiveStore archive;
    private JournalArchiver archiver;
    private JsonServer server;

    @BeforeEach
    void start() throws IOException {
        backupService = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        backupService.createContext("/backups", exchange -> {
            long bytes = exchange.getRequestBody().readAllBytes().length;
            backupCalls.add(exchange.getRequestHeaders().getFirst("Valerix-Backup-Day") + " " + bytes);
            byte[] body = ("{\"id\":\"backup-" + backupCalls.size() + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        backupService.start();
        live = H2Database.open(dir.resolve("live"), "orders", 2);
        archive = ArchiveStore.directory(dir.resolve("archive"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (archiver != null) {
            archiver.close();
        }
        live.close();
        backupService.stop(0);
    }

    @Test
    void theDaysOneBackupAndARestoreToATimeHoldExactlyTheWritesUpToIt() throws Exception {
        // given a journaled shop database, archived, with its admin routes on a real server
        ChangeJournal journal = JournaledOwnTables.install(live);
        JsonServer.Builder builder = JsonServer.builder().port(0);
        archiver = ArchivingBackupAndRestore.startArchiving(archive, live, builder, TOKEN);
        server = builder.build().start();
        JournaledOwnTables.stock(journal, live, "sku-1", 10);
        JournaledOwnTables.placeOrder(journal, live, "o-1", "sku-1", 2);

        // when the day's backup is made, twice
        URI endpoint =
                URI.create("http://127.0.0.1:" + backupService.getAddress().getPort() + "/backups");
        BackupReceipt receipt = ArchivingBackupAndRestore.dailyBackup(archive, archiver, endpoint);
        assertThatThrownBy(() -> ArchivingBackupAndRestore.dailyBackup(archive, archiver, endpoint))
                .isInstanceOf(BackupQuotaExceededException.class);

        // then the service got one call, with the bundle of the base backup
        assertThat(backupCalls).singleElement().asString().matches(receipt.day() + " [1-9][0-9]*");
        assertThat(receipt.serviceId()).isEqualTo("backup-1");
        assertThat(receipt.baseBackups())
                .singleElement()
                .satisfies(base -> assertThat(base.database()).isEqualTo("orders"));

        // when one more order comes after a noted time, and everything is archived
        Instant between = Instant.now();
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(between));
        JournaledOwnTables.placeOrder(journal, live, "o-2", "sku-1", 3);
        archiver.sealNow();

        // then a restore to the noted time holds the first order only, with its stock
        RestoreResult atBetween = ArchivingBackupAndRestore.restore(archive, between, dir.resolve("at-between"));
        try (HikariDataSource restored =
                H2Database.open(atBetween.databases().getFirst().directory(), "orders", 1)) {
            assertThat(rows(restored, "SELECT order_id FROM orders ORDER BY order_id"))
                    .containsExactly("o-1");
            assertThat(rows(restored, "SELECT available FROM stock")).containsExactly("8");
        }
        // and a restore to now equals the live database
        RestoreResult now = ArchivingBackupAndRestore.restore(archive, Instant.now(), dir.resolve("now"));
        try (HikariDataSource restored =
                H2Database.open(now.databases().getFirst().directory(), "orders", 1)) {
            assertThat(rows(restored, "SELECT order_id FROM orders ORDER BY order_id"))
                    .containsExactly("o-1", "o-2");
            assertThat(DatabaseDigest.of("orders", restored).differences(DatabaseDigest.of("orders", live)))
                    .isEmpty();
        }
    }

    @Test
    void theBackupRoutesAnswerOnlyTheAdminToken() throws Exception {
        JournaledOwnTables.install(live);
        JsonServer.Builder builder = JsonServer.builder().port(0);
        archiver = ArchivingBackupAndRestore.startArchiving(archive, live, builder, TOKEN);
        server = builder.build().start();
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI status = server.uri().resolve("/admin/backup/status");

        HttpResponse<String> without = client.send(
                HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> with = client.send(
                HttpRequest.newBuilder(status)
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(without.statusCode()).isEqualTo(401);
        assertThat(with.statusCode()).isEqualTo(200);
        assertThat(with.body()).contains("\"database\":\"orders\"");
    }

    private static List<String> rows(HikariDataSource dataSource, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                rows.add(r.getString(1));
            }
        }
        return rows;
    }
}
