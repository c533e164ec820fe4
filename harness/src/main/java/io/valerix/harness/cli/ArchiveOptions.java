package io.valerix.harness.cli;

import io.valerix.harness.services.ArchiveLocation;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --archive} and {@code --archive-endpoint}: where the archive is; shared by up, backup, verify and restore. */
final class ArchiveOptions {

    @Option(
            names = "--archive",
            paramLabel = "DIR|s3://BUCKET/PREFIX",
            description =
                    "The archive: a directory, or an S3-compatible bucket and key prefix, with credentials from the environment "
                            + "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, an AWS profile or role) (default: <data-dir>/archive).")
    public String archive;

    @Option(
            names = "--archive-endpoint",
            paramLabel = "URL",
            description =
                    "The S3-compatible server of an s3:// archive, such as http://127.0.0.1:9000, addressed path-style "
                            + "(default: $AWS_ENDPOINT_URL_S3, else $AWS_ENDPOINT_URL, else AWS).")
    public URI endpoint;

    /**
     * The archive these options name for services whose data directory is {@code dataDir}.
     *
     * @throws IllegalArgumentException naming the option whose value is wrong
     */
    public ArchiveLocation location(Path dataDir) {
        return ArchiveLocation.of(archive, endpoint, dataDir, System.getenv());
    }
}
