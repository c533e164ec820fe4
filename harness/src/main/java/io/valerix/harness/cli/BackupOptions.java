package io.valerix.harness.cli;

import io.valerix.core.backup.BackupException;
import io.valerix.harness.backup.ServiceAdminClient;
import io.valerix.harness.services.ArchiveLocation;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the archive is and how to reach the running services; shared by the backup commands. */
final class BackupOptions {

    /** The data directory when {@code --data-dir} is not given, as {@code valerix up} uses it. */
    public static final Path DEFAULT_DATA_DIR = Path.of("valerix-data");

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "The services' data directory (default: valerix-data).")
    public Path dataDir;

    @Mixin
    public ArchiveOptions archive = new ArchiveOptions();

    @Option(
            names = "--order",
            paramLabel = "URL",
            description = {"The running order service.", "Default: ${DEFAULT-VALUE}."})
    public URI order = URI.create("http://127.0.0.1:8080");

    @Option(
            names = "--inventory",
            paramLabel = "URL",
            description = {"The running inventory service.", "Default: ${DEFAULT-VALUE}."})
    public URI inventory = URI.create("http://127.0.0.1:8081");

    @Option(
            names = "--admin-token",
            paramLabel = "TOKEN",
            description = "The services' admin token, as 'valerix up' printed it (default: $VALERIX_ADMIN_TOKEN).")
    public String adminToken;

    /**
     * The archive: {@code --archive} (a directory or {@code s3://BUCKET/PREFIX}), or {@code
     * <data-dir>/archive}.
     *
     * @throws IllegalArgumentException if {@code --archive} or its endpoint is malformed
     */
    public ArchiveLocation archive() {
        return archive.location(dataDir != null ? dataDir : DEFAULT_DATA_DIR);
    }

    /**
     * The admin token from {@code --admin-token} or {@code VALERIX_ADMIN_TOKEN}.
     *
     * @throws IllegalArgumentException if neither is set
     */
    public String adminToken() {
        String token = adminToken != null ? adminToken : System.getenv("VALERIX_ADMIN_TOKEN");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(
                    "give the services' admin token with --admin-token or VALERIX_ADMIN_TOKEN ('valerix up' prints it)");
        }
        return token;
    }

    /** The running services, order first. */
    List<ServiceAdminClient> services() {
        String token = adminToken();
        return List.of(new ServiceAdminClient(order, token), new ServiceAdminClient(inventory, token));
    }

    /**
     * The archive this command works on, after checking that the running services archive into it:
     * a command that read one archive while the services wrote another would fail later on a path
     * that is missing for a reason it cannot name.
     *
     * @throws BackupException naming both directories and the option to pass, if they differ
     */
    ArchiveLocation archiveOfServices(List<ServiceAdminClient> services) {
        ArchiveLocation mine = archive();
        String mineText = mine.isBucket()
                ? mine.bucket().toString().replaceAll("/+$", "")
                : mine.directory().toAbsolutePath().toString();
        List<String> elsewhere = new ArrayList<>();
        String theirs = null;
        for (ServiceAdminClient service : services) {
            String location = service.archiveLocation();
            if (!sameLocation(mineText, location)) {
                elsewhere.add("the service at " + service.uri() + " archives into " + location);
                theirs = location;
            }
        }
        if (theirs == null) {
            return mine;
        }
        throw new BackupException("this command uses the archive " + (mine.isBucket() ? mine.toString() : mineText)
                + " (" + whereMineComesFrom() + "), but " + String.join(" and ", elsewhere) + ". " + remedy(theirs));
    }

    private String whereMineComesFrom() {
        if (archive.archive != null) {
            return "--archive";
        }
        return dataDir != null
                ? "<data-dir>/archive of --data-dir " + dataDir
                : "<data-dir>/archive of the default --data-dir " + DEFAULT_DATA_DIR;
    }

    private static String remedy(String theirs) {
        if (theirs.startsWith("s3://")) {
            return "Pass --archive " + theirs.split(" ", 2)[0]
                    + " (and --archive-endpoint if the bucket is not on AWS).";
        }
        Path archive = Path.of(theirs);
        Path parent = archive.getParent();
        if (parent != null && archive.getFileName().toString().equals("archive")) {
            return "Pass --data-dir " + parent + " (the services' data directory), or --archive " + archive + ".";
        }
        return "Pass --archive " + theirs + ".";
    }

    private static boolean sameLocation(String mine, String theirs) {
        // A bucket's location may carry its endpoint after the URI ("s3://b/p at http://..."): the bucket and prefix
        // decide.
        if (mine.equals(theirs) || theirs.startsWith(mine + " ")) {
            return true;
        }
        try {
            Path a = Path.of(mine);
            Path b = Path.of(theirs);
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException | RuntimeException notAPath) {
            return false;
        }
    }
}
