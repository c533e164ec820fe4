package io.valerix.core.backup;

import io.valerix.core.http.JsonServer;
import io.valerix.core.http.ProblemType;
import io.valerix.core.http.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The archiver's admin routes, so that a {@code valerix backup} process can drive a running
 * service (embedded H2 files are locked by the process that opened them):
 *
 * <ul>
 *   <li>{@code POST /admin/backup/base}: takes a base backup of every database into the archive
 *       ({@code {"baseBackups":[…]}}).
 *   <li>{@code POST /admin/backup/seal}: seals and ships now ({@code {"archived":{"db":seq}}}).
 *   <li>{@code GET /admin/backup/status}: per database, the journal and archive positions and the
 *       last error ({@code {"databases":[…]}}).
 *   <li>{@code GET /admin/backup/digest}: per database, a {@link DatabaseDigest} of the live data.
 * </ul>
 *
 * <p>The same routes serve H2's {@link JournalArchiver} and PostgreSQL's {@link WalArchiver}.
 * A failure is 500 {@code backup-failed} with the reason. These routes must sit behind a
 * {@link io.valerix.core.http.BearerTokenFilter}; the caller adds it.
 */
public final class BackupAdmin {

  /** A backup step failed; the detail says which and why. */
  public static final ProblemType BACKUP_FAILED = ProblemType.of("backup-failed", "Backup failed", 500);

  private BackupAdmin() {}

  /** Adds the routes for {@code archiver} to {@code server}. */
  public static JsonServer.Builder install(JsonServer.Builder server, ContinuousArchiver archiver) {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(archiver, "archiver");
    server.route("POST", "/admin/backup/base", request -> guarded(() -> Map.of("baseBackups", archiver.takeBaseBackups())));
    server.route("POST", "/admin/backup/seal", request -> guarded(() -> Map.of("archived", archiver.sealNow())));
    server.route("GET", "/admin/backup/status", request -> guarded(() -> Map.of("databases", archiver.status())));
    server.route("GET", "/admin/backup/digest", request -> guarded(() -> {
      List<DatabaseDigest> digests = new ArrayList<>();
      for (String database : archiver.databases()) {
        digests.add(archiver.digest(database));
      }
      return Map.of("databases", digests);
    }));
    return server;
  }

  private interface Step {
    Object run();
  }

  private static Response guarded(Step step) {
    try {
      return Response.json(200, step.run());
    } catch (BackupException e) {
      throw BACKUP_FAILED.exception(e.getMessage());
    }
  }
}
