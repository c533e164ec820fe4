package io.valerix.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.http.JsonServer;
import io.valerix.core.journal.ChangeJournal;
import io.valerix.core.testing.ManualWallClock;
import io.valerix.core.testing.OpenApiDocument;
import io.valerix.core.testing.RawHttp;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code api/openapi.yaml} true to the backup admin routes: drives a real server with {@link
 * BackupAdmin} into each answer it gives and checks the document lists every route and, under it,
 * every status.
 */
class BackupAdminOpenApiTest {

    private static final String TOKEN = "backup-admin-openapi-token";
    private static final List<String> ROUTES = List.of(
            "POST /admin/backup/base",
            "POST /admin/backup/seal",
            "GET /admin/backup/status",
            "GET /admin/backup/digest",
            "POST /admin/backup/prune");

    @TempDir
    Path dir;

    private Widgets widgets;
    private JournalArchiver archiver;
    private JsonServer server;

    /** One answer: the documented route it went to, and its status. */
    record Answer(String route, int status, String body) {}

    @BeforeEach
    void start() throws Exception {
        widgets = new Widgets(
                dir.resolve("live"),
                "widgets",
                ChangeJournal.on(new ManualWallClock(Instant.parse("2025-06-01T00:00:00Z"))),
                2);
        widgets.put("a", 1);
        archiver = JournalArchiver.builder(ArchiveStore.directory(dir.resolve("archive")))
                .database("widgets", widgets.db)
                .build();
        server = BackupAdmin.install(
                        JsonServer.builder().name("backup-admin").filter(BearerTokenFilter.admin(TOKEN)), archiver)
                .build();
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        archiver.close();
        widgets.close();
    }

    @Test
    void everyBackupAdminRouteAndEveryAnswerItGivesIsDocumented() throws Exception {
        OpenApiDocument document = OpenApiDocument.read();
        assertThat(document.routes())
                .filteredOn(route -> route.contains(" /admin/backup/"))
                .containsExactlyInAnyOrderElementsOf(ROUTES);

        // When each route is driven into every answer it gives
        List<Answer> answers = new ArrayList<>();
        for (String route : ROUTES) {
            String path = route.substring(route.indexOf(' ') + 1) + (route.endsWith("prune") ? "?keepDays=7" : "");
            answers.add(call(route, path, TOKEN));
            answers.add(call(route, path, null));
            answers.add(call(route, path, "not-the-admin-token-at-all"));
        }
        answers.add(call("POST /admin/backup/prune", "/admin/backup/prune", TOKEN));
        answers.add(call("POST /admin/backup/prune", "/admin/backup/prune?keepDays=seven", TOKEN));
        answers.add(call("POST /admin/backup/prune", "/admin/backup/prune?keepDays=-1", TOKEN));
        widgets.db.close();
        answers.add(call("POST /admin/backup/base", "/admin/backup/base", TOKEN));
        answers.add(call("GET /admin/backup/digest", "/admin/backup/digest", TOKEN));

        // Then each status is documented under its route, and the body says what the document says
        assertThat(answers).extracting(Answer::status).contains(200, 400, 401, 403, 500);
        SoftAssertions softly = new SoftAssertions();
        for (Answer answer : answers) {
            softly.assertThat(document.statuses(answer.route()))
                    .as("%s -> %d (%s)", answer.route(), answer.status(), answer.body())
                    .contains(Integer.toString(answer.status()));
            if (answer.status() == 500) {
                softly.assertThat(answer.body()).contains("urn:valerix:problem:backup-failed");
            }
        }
        softly.assertAll();
        assertThat(answers.get(ROUTES.indexOf("GET /admin/backup/status") * 3).body())
                .contains("\"archive\":")
                .contains(dir.resolve("archive").toAbsolutePath().toString().replace("\\", "\\\\"));
        assertThat(document.text()).contains("`backup-failed`");
    }

    private Answer call(String route, String path, String token) {
        String method = route.substring(0, route.indexOf(' '));
        RawHttp.Reply reply = RawHttp.sendJson(
                server.uri(),
                method,
                path,
                method.equals("POST") ? "{}" : null,
                "Authorization",
                token == null ? null : "Bearer " + token);
        return new Answer(route, reply.status(), reply.body());
    }
}
