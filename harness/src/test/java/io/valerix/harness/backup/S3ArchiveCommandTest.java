package io.valerix.harness.backup;

import static io.valerix.harness.backup.BackupAcceptanceTest.cliRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.backup.s3.testing.S3Gate;
import io.valerix.backup.s3.testing.TestS3;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.health.HealthConfig;
import io.valerix.core.testing.RawHttp;
import io.valerix.harness.cli.ExitCodes;
import io.valerix.harness.services.ArchiveLocation;
import io.valerix.harness.services.ServicePair;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The services archiving into a bucket of a real S3-compatible server (S3Mock on loopback, behind
 * a gate that can refuse writes), and the backup commands reading it with {@code --archive
 * s3://...}.
 */
class S3ArchiveCommandTest {

    private static final String TOKEN = "s3-command-test-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private S3Gate gate;
    private String bucket;
    private String archive;
    private ServicePair pair;
    private BackupServiceStandIn standIn;

    @BeforeEach
    void startServicesArchivingToABucket() throws Exception {
        gate = TestS3.gate();
        bucket = TestS3.newBucket(gate);
        archive = "s3://" + bucket + "/valerix";
        Path data = dir.resolve("data");
        ServicePair.Settings settings = new ServicePair.Settings(
                        0,
                        0,
                        GremlinSpec.none(),
                        1,
                        Duration.ofSeconds(5),
                        Map.of("widget", 1000, "gadget", 1000, "scarce", 60),
                        TOKEN,
                        data,
                        HealthConfig.defaults())
                .withArchive(ArchiveLocation.of(archive, gate.endpoint(), data, Map.of()));
        pair = ServicePair.start(settings, server -> {});
        standIn = BackupServiceStandIn.start(0, InstantSource.system(), dir.resolve("received"));
        try (OrderLoad load = new OrderLoad(pair.orderUri(), "s3", 2)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.acks().size() >= 6);
        }
    }

    @AfterEach
    void stop() {
        standIn.close();
        pair.close();
        gate.close();
    }

    @Test
    void backupVerifyAndRestoreWorkThroughTheBucketAndTheDailyClaimLivesThere() {
        // When the day's backup ships, twice
        BackupAcceptanceTest.CliRun first = cliRun(withArchive(
                "backup",
                "--order",
                pair.orderUri().toString(),
                "--inventory",
                pair.inventoryUri().toString(),
                "--admin-token",
                TOKEN,
                "--service",
                standIn.endpoint().toString()));
        BackupAcceptanceTest.CliRun second = cliRun(withArchive(
                "backup",
                "--order",
                pair.orderUri().toString(),
                "--inventory",
                pair.inventoryUri().toString(),
                "--admin-token",
                TOKEN,
                "--service",
                standIn.endpoint().toString()));

        // Then the first is shipped from the bucket and the second refused by the claim in the bucket
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("Archive: " + archive + " at " + gate.endpoint());
        assertThat(second.exit()).isEqualTo(ExitCodes.FAILED_VERDICT);
        assertThat(standIn.calls()).isEqualTo(1);
        try (S3Client s3 = TestS3.client(gate)) {
            assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix("valerix/"))
                            .contents())
                    .extracting(object -> object.key())
                    .contains(
                            "valerix/orders/manifest.json",
                            "valerix/inventory/manifest.json",
                            "valerix/quota/" + LocalDate.now(ZoneOffset.UTC) + ".json");
        }

        // And verify restores the bucket's archive to what the services hold
        BackupAcceptanceTest.CliRun verify = cliRun(withArchive(
                "backup",
                "verify",
                "--order",
                pair.orderUri().toString(),
                "--inventory",
                pair.inventoryUri().toString(),
                "--admin-token",
                TOKEN));
        assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("PASS");

        // And restore builds a data directory from it
        BackupAcceptanceTest.CliRun restore = cliRun(withArchive(
                "restore", "--to", "latest", "--into", dir.resolve("restored").toString()));
        assertThat(restore.exit()).as(restore.out() + restore.err()).isZero();
        assertThat(dir.resolve("restored/orders/orders.mv.db")).exists();
        assertThat(dir.resolve("restored/inventory/inventory.mv.db")).exists();
    }

    @Test
    void aBucketThatRefusesWritesLeavesOrdersFlowingAndShowsTheGapInStatusAndHealth() throws Exception {
        // Given base backups in the bucket (taken in the services; no daily call spent)
        pair.archiving().orderArchiver().takeBaseBackups();
        pair.archiving().inventoryArchiver().takeBaseBackups();

        // When the bucket refuses writes while orders keep coming
        gate.refuseWrites(true);
        try (OrderLoad during = new OrderLoad(pair.orderUri(), "refused", 2)) {
            // Then orders are still served
            await().atMost(Duration.ofSeconds(30)).until(() -> during.acks().size() >= 5);
        }

        // And the archiver's status shows the gap and the reason, retrying with backoff
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode status = get("/admin/backup/status").path("databases").path(0);
            return status.path("failedSeals").asInt() >= 2;
        });
        JsonNode status = get("/admin/backup/status").path("databases").path(0);
        assertThat(status.path("database").asText()).isEqualTo("orders");
        assertThat(status.path("unarchivedChanges").asLong()).isPositive();
        assertThat(status.path("lastError").asText()).contains("403 AccessDenied");
        assertThat(status.path("failingSince").isNull()).isFalse();
        assertThat(gate.refusedWrites()).isGreaterThanOrEqualTo(2);

        // And /health names it, without taking the service out of rotation
        RawHttp.Reply health = RawHttp.send(pair.orderUri(), "GET", "/health", null, null);
        JsonNode body = health.json();
        assertThat(health.status()).isEqualTo(200);
        assertThat(body.path("status").asText()).isEqualTo("UP");
        assertThat(body.path("checks").path("archive").path("status").asText()).isEqualTo("DOWN");
        assertThat(body.path("checks").path("archive").path("detail").asText())
                .contains("fails since", "403 AccessDenied");

        // When the bucket accepts writes again, verify (which seals first) finds every order archived
        gate.refuseWrites(false);
        BackupAcceptanceTest.CliRun verify = cliRun(withArchive(
                "backup",
                "verify",
                "--order",
                pair.orderUri().toString(),
                "--inventory",
                pair.inventoryUri().toString(),
                "--admin-token",
                TOKEN));
        assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
        JsonNode healed = get("/admin/backup/status").path("databases").path(0);
        assertThat(healed.path("failedSeals").asInt()).isZero();
        assertThat(healed.path("lastError").isNull()).isTrue();
    }

    private String[] withArchive(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 4);
        all[args.length] = "--archive";
        all[args.length + 1] = archive;
        all[args.length + 2] = "--archive-endpoint";
        all[args.length + 3] = gate.endpoint().toString();
        return all;
    }

    private JsonNode get(String path) {
        RawHttp.Reply response =
                RawHttp.send(pair.orderUri(), "GET", path, null, null, "Authorization", "Bearer " + TOKEN);
        assertThat(response.status()).as(path).isEqualTo(200);
        return response.json();
    }
}
