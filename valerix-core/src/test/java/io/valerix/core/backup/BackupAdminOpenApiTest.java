package io.valerix.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.http.JsonServer;
import io.valerix.core.journal.ChangeJournal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
      "POST /admin/backup/base", "POST /admin/backup/seal", "GET /admin/backup/status", "GET /admin/backup/digest",
      "POST /admin/backup/prune");

  @TempDir Path dir;
  private Widgets widgets;
  private JournalArchiver archiver;
  private JsonServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  /** One answer: the documented route it went to, and its status. */
  record Answer(String route, int status, String body) {}

  @BeforeEach
  void start() throws Exception {
    widgets = new Widgets(dir.resolve("live"), "widgets", ChangeJournal.on(new MutableClock(Instant.parse("2025-06-01T00:00:00Z"))), 2);
    widgets.put("a", 1);
    archiver = JournalArchiver.builder(ArchiveStore.directory(dir.resolve("archive"))).database("widgets", widgets.db).build();
    server = BackupAdmin.install(JsonServer.builder().name("backup-admin").filter(BearerTokenFilter.admin(TOKEN)), archiver).build();
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
    Map<String, Set<String>> documented = documentedStatuses();
    assertThat(documented.keySet()).filteredOn(route -> route.contains(" /admin/backup/")).containsExactlyInAnyOrderElementsOf(ROUTES);

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
      softly.assertThat(documented.get(answer.route())).as("%s -> %d (%s)", answer.route(), answer.status(), answer.body())
          .contains(Integer.toString(answer.status()));
      if (answer.status() == 500) {
        softly.assertThat(answer.body()).contains("urn:valerix:problem:backup-failed");
      }
    }
    softly.assertAll();
    assertThat(answers.get(ROUTES.indexOf("GET /admin/backup/status") * 3).body())
        .contains("\"archive\":").contains(dir.resolve("archive").toAbsolutePath().toString().replace("\\", "\\\\"));
    assertThat(Files.readString(openApiFile())).contains("`backup-failed`");
  }

  private Answer call(String route, String path, String token) throws Exception {
    String method = route.substring(0, route.indexOf(' '));
    HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(path))
        .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody())
        .header("Content-Type", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(route, response.statusCode(), response.body());
  }

  /** "METHOD /path" to the statuses listed under its responses, read from the YAML's indentation. */
  private static Map<String, Set<String>> documentedStatuses() throws Exception {
    Map<String, Set<String>> routes = new LinkedHashMap<>();
    Pattern pathLine = Pattern.compile("^  (/\\S*):\\s*$");
    Pattern methodLine = Pattern.compile("^    (get|put|post|delete|patch):\\s*$");
    Pattern statusLine = Pattern.compile("^        \"(\\d{3})\":\\s*$");
    String path = null;
    String route = null;
    boolean inPaths = false;
    for (String line : Files.readAllLines(openApiFile())) {
      if (!line.startsWith(" ") && !line.isBlank()) {
        inPaths = line.startsWith("paths:");
        continue;
      }
      if (!inPaths) {
        continue;
      }
      Matcher p = pathLine.matcher(line);
      Matcher m = methodLine.matcher(line);
      Matcher s = statusLine.matcher(line);
      if (p.matches()) {
        path = p.group(1);
        route = null;
      } else if (m.matches() && path != null) {
        route = m.group(1).toUpperCase(Locale.ROOT) + " " + path;
        routes.put(route, new LinkedHashSet<>());
      } else if (s.matches() && route != null) {
        routes.get(route).add(s.group(1));
      }
    }
    return routes;
  }

  private static Path openApiFile() {
    return Path.of(System.getProperty("basedir", ".")).resolve("../api/openapi.yaml").normalize();
  }
}
