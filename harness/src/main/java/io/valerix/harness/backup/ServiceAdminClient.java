package io.valerix.harness.backup;

import io.valerix.core.backup.BackupException;
import io.valerix.core.backup.BaseBackupInfo;
import io.valerix.core.backup.DatabaseDigest;
import io.valerix.core.backup.JournalArchiver;
import io.valerix.core.backup.PrunedArchive;
import io.valerix.core.deadline.Deadline;
import io.valerix.core.http.JsonClient;
import io.valerix.core.http.JsonRequest;
import io.valerix.core.http.RemoteProblemException;
import io.valerix.core.http.TransportException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Calls a running service's {@code /admin/backup/**} routes ({@link io.valerix.core.backup.BackupAdmin})
 * with the admin token. Failures become {@link BackupException}s naming the service. Thread-safe.
 */
public final class ServiceAdminClient {

    /** Base backups and digests read every row; give them minutes, not the default seconds. */
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(10);

    record BaseBackups(List<BaseBackupInfo> baseBackups) {}

    record Digests(List<DatabaseDigest> databases) {}

    record Sealed(Map<String, Long> archived) {}

    record Status(String archive, List<JournalArchiver.DatabaseStatus> databases) {}

    record Pruned(List<PrunedArchive> pruned) {}

    private final URI uri;
    private final String token;
    private final JsonClient client;

    public ServiceAdminClient(URI uri, String token) {
        this.uri = uri;
        this.token = token;
        this.client = JsonClient.builder(uri)
                .name("admin " + uri)
                .maxTimeout(CALL_TIMEOUT)
                .build();
    }

    public List<BaseBackupInfo> takeBaseBackups() {
        return call(JsonRequest.post(Map.of(), "/admin/backup/base"), BaseBackups.class)
                .baseBackups();
    }

    public List<DatabaseDigest> digests() {
        return call(JsonRequest.get("/admin/backup/digest"), Digests.class).databases();
    }

    /** The names of the databases this service archives (a PostgreSQL cluster's one name is shared by both services). */
    public List<String> archivedNames() {
        return call(JsonRequest.get("/admin/backup/status"), Status.class).databases().stream()
                .map(JournalArchiver.DatabaseStatus::database)
                .toList();
    }

    public Map<String, Long> seal() {
        return call(JsonRequest.post(Map.of(), "/admin/backup/seal"), Sealed.class)
                .archived();
    }

    /** Where the service archives: a directory path or a bucket URI, as its {@code ArchiveStore} names it. */
    public String archiveLocation() {
        return call(JsonRequest.get("/admin/backup/status"), Status.class).archive();
    }

    public List<PrunedArchive> prune(long keepDays) {
        return call(JsonRequest.post(Map.of(), "/admin/backup/prune?keepDays=" + keepDays), Pruned.class)
                .pruned();
    }

    public URI uri() {
        return uri;
    }

    private <T> T call(JsonRequest request, Class<T> type) {
        try {
            return client.send(
                            request.withHeader("Authorization", "Bearer " + token), type, Deadline.after(CALL_TIMEOUT))
                    .body();
        } catch (RemoteProblemException e) {
            throw new BackupException(
                    "the service at " + uri + " answered " + request.route() + " with " + e.getMessage(), e);
        } catch (TransportException e) {
            throw new BackupException(
                    "the service at " + uri + " could not be reached (is it running?): " + e.getMessage(), e);
        }
    }
}
