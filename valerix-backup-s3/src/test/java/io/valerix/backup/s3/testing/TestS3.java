package io.valerix.backup.s3.testing;

import io.valerix.backup.s3.S3ArchiveStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The test JVM's S3-compatible server: Adobe's S3Mock (from Maven Central, copied by the build to
 * the path in the system property {@value #JAR_PROPERTY}), started on first use as a separate
 * process on a free loopback port with its data in a temporary directory, stopped and deleted
 * when the JVM exits. A separate process because S3Mock is a Spring Boot application whose
 * libraries would meet Jetty 12 on the test class path.
 *
 * <p>Tests reach it through a {@link S3Gate} of their own, a loopback proxy that can refuse writes
 * the way a bucket whose policy denies {@code s3:PutObject} does, and each test takes a fresh
 * bucket. S3Mock checks no signatures; the credentials are placeholders. Thread-safe.
 */
public final class TestS3 {

    /** The system property naming S3Mock's executable jar. */
    public static final String JAR_PROPERTY = "valerix.s3mock.jar";
    /** Placeholder credentials the tests use (S3Mock accepts any). */
    public static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("valerix-test", "valerix-test-secret"));

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern HTTPS_PORT = Pattern.compile("Tomcat started on ports? (\\d+) \\(https\\)");
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static URI upstream;
    private static RuntimeException startFailure;

    private TestS3() {}

    /** A new gate to the running server (started on first use); the caller closes it. */
    public static S3Gate gate() {
        return S3Gate.open(upstream());
    }

    /** Creates a fresh bucket with a name unique in this JVM, through {@code gate}. */
    public static String newBucket(S3Gate gate) {
        String bucket = "valerix-test-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        try (S3Client client = client(gate)) {
            client.createBucket(request -> request.bucket(bucket));
        }
        return bucket;
    }

    /** A plain S3 client through {@code gate}, for a test to look at the bucket itself. */
    public static S3Client client(S3Gate gate) {
        return S3Client.builder()
                .endpointOverride(gate.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .build();
    }

    /** An archive store in {@code bucket}/{@code prefix} through {@code gate}. */
    public static S3ArchiveStore store(S3Gate gate, String bucket, String prefix) {
        return S3ArchiveStore.builder(URI.create("s3://" + bucket + "/" + prefix))
                .endpoint(gate.endpoint())
                .pathStyle(true)
                .region("us-east-1")
                .credentials(CREDENTIALS)
                .callTimeout(Duration.ofSeconds(30))
                .build();
    }

    /** S3Mock's TLS endpoint on loopback, starting it on first use. */
    public static synchronized URI upstream() {
        if (upstream != null) {
            return upstream;
        }
        if (startFailure != null) {
            throw new IllegalStateException("S3Mock failed to start earlier in this JVM", startFailure);
        }
        try {
            upstream = start();
        } catch (IOException e) {
            startFailure = new UncheckedIOException(e);
            throw startFailure;
        } catch (RuntimeException e) {
            startFailure = e;
            throw e;
        }
        return upstream;
    }

    private static URI start() throws IOException {
        String jar = System.getProperty(JAR_PROPERTY);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException(
                    "S3Mock's jar is not at " + JAR_PROPERTY + "=" + jar
                            + "; the build copies it there (maven-dependency-plugin, com.adobe.testing:s3mock:exec): run the tests through ./mvnw");
        }
        Path home = Files.createTempDirectory("valerix-s3mock-");
        Path log = home.resolve("s3mock.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(List.of(
                        java,
                        "-Xmx256m",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-Djava.net.preferIPv4Stack=true",
                        "-jar",
                        jar,
                        // The TLS connector binds loopback on a free port; S3Mock's plain-HTTP connector takes a
                        // free port too (it binds every interface and cannot be switched off; the tests never use it).
                        "--server.address=127.0.0.1",
                        "--server.port=0",
                        "--http.port=0",
                        "--com.adobe.testing.s3mock.store.root=" + home.resolve("store"),
                        "--spring.main.banner-mode=off",
                        "--logging.level.root=WARN",
                        "--logging.level.org.springframework.boot.tomcat=INFO"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process, home), "s3mock-stop"));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            Matcher port = HTTPS_PORT.matcher(text);
            if (port.find()) {
                return URI.create("https://127.0.0.1:" + port.group(1));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "S3Mock exited with " + process.exitValue() + " before it listened:\n" + text);
            }
            try {
                // Polling a child's log for its announcement; there is no event to wait on.
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while S3Mock started", e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException(
                "S3Mock did not listen within " + START_TIMEOUT + ":\n" + Files.readString(log));
    }

    private static void stop(Process process, Path home) {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
        try (Stream<Path> paths = Files.walk(home)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory left behind is harmless.
        }
    }
}
