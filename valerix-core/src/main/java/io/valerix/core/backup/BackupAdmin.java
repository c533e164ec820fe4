package io.valerix.core.backup;

import io.valerix.core.http.JsonServer;
import io.valerix.core.http.ProblemType;
import io.valerix.core.http.Request;
import io.valerix.core.http.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 *   <li>{@code GET /admin/backup/status}: where the archive is, and per database the journal and
 *       archive positions, the gap between them, and while archiving fails its reason, since when
 *       and the next attempt ({@code {"archive":"…","databases":[…]}}, {@link
 *       JournalArchiver.DatabaseStatus}).
 *   <li>{@code GET /admin/backup/digest}: per database, a {@link DatabaseDigest} of the live data.
 *   <li>{@code POST /admin/backup/prune?keepDays=N}: retention ({@link JournalArchiver#prune}),
 *       keeping every instant of the last N days restorable ({@code {"pruned":[…]}}); 400 {@code
 *       invalid-request} unless N is a whole number 0..36500.
 * </ul>
 *
 * <p>{@code api/openapi.yaml} documents them; keep it in step. The same routes serve H2's {@link
 * JournalArchiver} and PostgreSQL's {@link WalArchiver}.
 *
 * <p>A failure is 500 {@code backup-failed} with the reason. These routes must sit behind a
 * {@link io.valerix.core.http.BearerTokenFilter}; the caller adds it.
 */
public final class BackupAdmin {

    /** A backup step failed; the detail says which and why. */
    public static final ProblemType BACKUP_FAILED = ProblemType.of("backup-failed", "Backup failed", 500);

    /** The most days {@code keepDays} may say: a century, so that no day count overflows an instant. */
    public static final int MAX_KEEP_DAYS = 36_500;

    private BackupAdmin() {}

    /** Adds the routes for {@code archiver} to {@code server}. */
    public static JsonServer.Builder install(JsonServer.Builder server, ContinuousArchiver archiver) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(archiver, "archiver");
        server.route(
                "POST",
                "/admin/backup/base",
                request -> guarded(() -> Map.of("baseBackups", archiver.takeBaseBackups())));
        server.route("POST", "/admin/backup/seal", request -> guarded(() -> Map.of("archived", archiver.sealNow())));
        server.route(
                "GET",
                "/admin/backup/status",
                request -> guarded(() -> {
                    Map<String, Object> status = new LinkedHashMap<>();
                    status.put("archive", archiver.store().location());
                    status.put("databases", archiver.status());
                    return status;
                }));
        server.route(
                "GET",
                "/admin/backup/digest",
                request -> guarded(() -> {
                    List<DatabaseDigest> digests = new ArrayList<>();
                    for (String database : archiver.databases()) {
                        digests.add(archiver.digest(database));
                    }
                    return Map.of("databases", digests);
                }));
        server.route("POST", "/admin/backup/prune", request -> {
            Duration keep = Duration.ofDays(keepDays(request));
            return guarded(() -> Map.of("pruned", archiver.prune(keep)));
        });
        return server;
    }

    private static long keepDays(Request request) {
        String text = request.queryParam("keepDays")
                .orElseThrow(() -> ProblemType.INVALID_REQUEST.exception(
                        "keepDays is required: the days to keep restorable, for example ?keepDays=7"));
        long days;
        try {
            days = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ProblemType.INVALID_REQUEST.exception(
                    "keepDays must be a whole number of days, but was '" + text + "'");
        }
        if (days < 0 || days > MAX_KEEP_DAYS) {
            throw ProblemType.INVALID_REQUEST.exception("keepDays must be 0.." + MAX_KEEP_DAYS + ", but was " + days);
        }
        return days;
    }

    private interface Step {
        Object run();
    }

    private static Response guarded(Step step) {
        try {
            return Response.json(200, step.run());
        } catch (BackupException | UnsupportedOperationException e) {
            throw BACKUP_FAILED.exception(e.getMessage());
        }
    }
}
