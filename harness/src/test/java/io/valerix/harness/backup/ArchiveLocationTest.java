package io.valerix.harness.backup;

import static io.valerix.harness.backup.BackupAcceptanceTest.cliRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.valerix.harness.cli.ExitCodes;
import io.valerix.harness.services.ArchiveLocation;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How --archive and --archive-endpoint (or the AWS SDK's endpoint variables) choose the archive. */
class ArchiveLocationTest {

    private static final Path DATA = Path.of("valerix-data");

    @Test
    void withoutAnOptionTheArchiveIsTheDataDirectorysArchiveFolder() {
        ArchiveLocation location = ArchiveLocation.of(null, null, DATA, Map.of());
        assertThat(location.isBucket()).isFalse();
        assertThat(location.directory()).isEqualTo(DATA.resolve("archive"));
    }

    @Test
    void anS3UriIsABucketWhoseEndpointComesFromTheOptionThenTheS3VariableThenTheGeneralOne() {
        Map<String, String> environment = Map.of(
                ArchiveLocation.ENDPOINT_ENV_S3,
                "http://s3.example:9000",
                ArchiveLocation.ENDPOINT_ENV,
                "http://all.example:9000");

        assertThat(ArchiveLocation.of("s3://backups/valerix", URI.create("http://127.0.0.1:9000"), DATA, environment)
                        .endpoint())
                .isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(ArchiveLocation.of("s3://backups/valerix", null, DATA, environment)
                        .endpoint())
                .isEqualTo(URI.create("http://s3.example:9000"));
        assertThat(ArchiveLocation.of(
                                "s3://backups/valerix",
                                null,
                                DATA,
                                Map.of(ArchiveLocation.ENDPOINT_ENV, "http://all.example:9000"))
                        .endpoint())
                .isEqualTo(URI.create("http://all.example:9000"));
        ArchiveLocation aws = ArchiveLocation.of("s3://backups/valerix", null, DATA, Map.of());
        assertThat(aws.isBucket()).isTrue();
        assertThat(aws.endpoint()).isNull();
        assertThat(aws).hasToString("s3://backups/valerix");
    }

    @Test
    void aMalformedBucketOrEndpointIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> ArchiveLocation.of("s3://Backups_2025/x", null, DATA, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--archive: ")
                .hasMessageContaining("Backups_2025");
        assertThatThrownBy(() -> ArchiveLocation.of("s3://backups", URI.create("ftp://host"), DATA, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--archive-endpoint must be an http or https URL");
        assertThatThrownBy(
                        () -> ArchiveLocation.of("/srv/archive", URI.create("http://127.0.0.1:9000"), DATA, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--archive-endpoint is for an archive in a bucket");
    }

    @Test
    void restoreWithAMalformedBucketIsAUsageErrorThatCreatesNothing(@TempDir Path dir) {
        BackupAcceptanceTest.CliRun run = cliRun(
                "restore",
                "--to",
                "latest",
                "--into",
                dir.resolve("x").toString(),
                "--archive",
                "s3://No_Such_Bucket_Name/x");

        assertThat(run.exit()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).contains("--archive: bucket names are 3-63 lower-case letters");
        assertThat(dir.resolve("x")).doesNotExist();
    }
}
