package io.valerix.backup.s3;

import io.valerix.backup.s3.internal.BucketLocation;
import io.valerix.backup.s3.internal.S3Failures;
import io.valerix.core.backup.ArchiveStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An {@link ArchiveStore} in an S3 bucket, or in any S3-compatible object store (MinIO, Ceph,
 * Cloudflare R2, ...), through the AWS SDK for Java v2. Archive names become object keys under
 * the location's prefix: {@code s3://backups/valerix} stores {@code orders/manifest.json} as key
 * {@code valerix/orders/manifest.json} in bucket {@code backups}.
 *
 * <pre>{@code
 * try (S3ArchiveStore archive = S3ArchiveStore.builder(URI.create("s3://backups/valerix")).build()) {
 *   JournalArchiver archiver = JournalArchiver.builder(archive).database("orders", orders).build().start();
 *   ...
 * }
 * }</pre>
 *
 * <p>How it keeps {@link ArchiveStore}'s promises: a PUT is atomic and durable once S3 answers
 * (readers see the old object or the new one); {@link #createIfAbsent} is a PUT with {@code
 * If-None-Match: *}, which S3 (since August 2024) and current S3-compatible servers decide
 * atomically, so the daily quota claim holds across processes and machines. A server that ignores
 * the header would let two claims both win: use one that supports conditional writes.
 *
 * <p>Credentials come from the environment through the SDK's default chain ({@code
 * AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, {@code aws.accessKeyId} system properties,
 * {@code ~/.aws} profiles, container and instance roles) unless {@link Builder#credentials} says
 * otherwise. The SDK retries throttling, 5xx and broken connections itself (3 attempts, backoff);
 * what still fails reaches the caller as an {@link IOException} naming the object, and a missing
 * object as {@link java.nio.file.NoSuchFileException}. Single PUTs carry up to 5 GiB.
 *
 * <p>Thread-safe. Owns its S3 client: close it after the archiver that uses it.
 */
public final class S3ArchiveStore implements ArchiveStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(S3ArchiveStore.class);
    /** The scheme of an archive location in a bucket: {@code s3://bucket/prefix}. */
    public static final String SCHEME = "s3";
    /** The longest an S3 call may take, all SDK retries included, unless set. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofMinutes(2);
    /** The region used when neither the builder nor the environment names one. */
    public static final String FALLBACK_REGION = "us-east-1";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*");
    /** How often a claim is tried again when S3 answers 409 (a concurrent write to the same key). */
    private static final int CONFLICT_ATTEMPTS = 3;

    private final BucketLocation location;
    private final S3Client client;

    private S3ArchiveStore(BucketLocation location, S3Client client) {
        this.location = location;
        this.client = client;
    }

    /**
     * A builder for the archive at {@code location}, {@code s3://BUCKET} or {@code
     * s3://BUCKET/PREFIX}.
     *
     * @throws IllegalArgumentException if it is not such a URI
     */
    public static Builder builder(URI location) {
        return new Builder(BucketLocation.parse(Objects.requireNonNull(location, "location")));
    }

    /** Whether {@code location} names a bucket ({@code s3://...}) rather than a directory. */
    public static boolean isBucket(String location) {
        return location != null && location.startsWith(SCHEME + "://");
    }

    @Override
    public void put(String name, byte[] content) throws IOException {
        Objects.requireNonNull(content, "content");
        String key = key(name);
        try {
            client.putObject(
                    PutObjectRequest.builder()
                            .bucket(location.bucket())
                            .key(key)
                            .build(),
                    RequestBody.fromBytes(content));
        } catch (SdkException e) {
            throw S3Failures.io("PUT", location.uri(key), e);
        }
    }

    @Override
    public void putFile(String name, Path source) throws IOException {
        Objects.requireNonNull(source, "source");
        String key = key(name);
        try {
            client.putObject(
                    PutObjectRequest.builder()
                            .bucket(location.bucket())
                            .key(key)
                            .build(),
                    RequestBody.fromFile(source));
        } catch (SdkException e) {
            throw S3Failures.io("PUT", location.uri(key), e);
        }
    }

    @Override
    public boolean createIfAbsent(String name, byte[] content) throws IOException {
        Objects.requireNonNull(content, "content");
        String key = key(name);
        PutObjectRequest request = PutObjectRequest.builder()
                .bucket(location.bucket())
                .key(key)
                .ifNoneMatch("*")
                .build();
        for (int attempt = 1; ; attempt++) {
            try {
                client.putObject(request, RequestBody.fromBytes(content));
                return true;
            } catch (S3Exception e) {
                if (e.statusCode() == 412) {
                    return false;
                }
                // 409: another write to this key was in flight; S3 asks to try again, and then one of the
                // two sees 412.
                if (e.statusCode() != 409 || attempt == CONFLICT_ATTEMPTS) {
                    throw S3Failures.io("PUT If-None-Match", location.uri(key), e);
                }
            } catch (SdkException e) {
                throw S3Failures.io("PUT If-None-Match", location.uri(key), e);
            }
        }
    }

    @Override
    public InputStream open(String name) throws IOException {
        String key = key(name);
        try {
            return client.getObject(GetObjectRequest.builder()
                    .bucket(location.bucket())
                    .key(key)
                    .build());
        } catch (SdkException e) {
            throw S3Failures.io("GET", location.uri(key), e);
        }
    }

    /** Deletes the object; deleting a key that is not there is no error (S3 answers 204 either way). */
    @Override
    public void delete(String name) throws IOException {
        String key = key(name);
        try {
            client.deleteObject(DeleteObjectRequest.builder()
                    .bucket(location.bucket())
                    .key(key)
                    .build());
        } catch (SdkException e) {
            throw S3Failures.io("DELETE", location.uri(key), e);
        }
    }

    @Override
    public boolean exists(String name) throws IOException {
        String key = key(name);
        try {
            client.headObject(HeadObjectRequest.builder()
                    .bucket(location.bucket())
                    .key(key)
                    .build());
            return true;
        } catch (S3Exception e) {
            // A HEAD answer has no body, so a missing key and a missing bucket look alike (404); a
            // missing bucket still fails loudly on the next write.
            if (e.statusCode() == 404) {
                return false;
            }
            throw S3Failures.io("HEAD", location.uri(key), e);
        } catch (SdkException e) {
            throw S3Failures.io("HEAD", location.uri(key), e);
        }
    }

    /** {@code s3://bucket/prefix}, with the endpoint when one was set. */
    @Override
    public String location() {
        return location.describe();
    }

    /** The bucket. */
    public String bucket() {
        return location.bucket();
    }

    /** The key prefix, ending in '/', or empty. */
    public String prefix() {
        return location.prefix();
    }

    /** Closes the S3 client. Idempotent. */
    @Override
    public void close() {
        client.close();
    }

    private String key(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException(
                    "archive names are relative paths of [a-z0-9._-] segments, but was '" + name + "'");
        }
        return location.prefix() + name;
    }

    /** Builds an {@link S3ArchiveStore}; not thread-safe; validated in {@link #build()}. */
    public static final class Builder {
        private final BucketLocation location;
        private URI endpoint;
        private boolean pathStyle;
        private String region;
        private AwsCredentialsProvider credentials;
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;

        private Builder(BucketLocation location) {
            this.location = location;
        }

        /**
         * The S3-compatible server to talk to, such as {@code http://127.0.0.1:9000}; unset, the SDK's
         * own choice ({@code AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL}, else AWS itself).
         */
        public Builder endpoint(URI endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /**
         * Path-style requests ({@code endpoint/bucket/key}) instead of virtual-hosted ones ({@code
         * bucket.endpoint/key}); most S3-compatible servers need it. Off by default.
         */
        public Builder pathStyle(boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        /**
         * The bucket's region; unset, {@code aws.region} (system property), {@code AWS_REGION} or
         * {@code AWS_DEFAULT_REGION}, else {@value #FALLBACK_REGION} (S3-compatible servers mostly
         * ignore it).
         */
        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** Where credentials come from; the SDK's default chain (environment first) unless set. */
        public Builder credentials(AwsCredentialsProvider credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** The longest one S3 call may take, its retries included; at least 1 s, 2 min by default. */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Builds the store and its S3 client. Nothing is called yet: a bucket that is missing or
         * refuses access shows on the first call.
         *
         * @throws IllegalArgumentException for a setting out of range
         */
        public S3ArchiveStore build() {
            if (callTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("callTimeout must be at least 1 s, but was " + callTimeout);
            }
            if (endpoint != null && !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
                throw new IllegalArgumentException("endpoint must be an http or https URL, but was '" + endpoint + "'");
            }
            Region chosen = region != null ? Region.of(region) : regionFromEnvironment();
            software.amazon.awssdk.services.s3.S3ClientBuilder client = S3Client.builder()
                    .region(chosen)
                    .credentialsProvider(
                            credentials != null
                                    ? credentials
                                    : DefaultCredentialsProvider.builder().build())
                    .forcePathStyle(pathStyle)
                    .overrideConfiguration(config -> config.apiCallTimeout(callTimeout));
            if (endpoint != null) {
                client.endpointOverride(endpoint);
            }
            BucketLocation described = location.withEndpoint(endpoint);
            log.debug("archive {} in region {}", described.describe(), chosen);
            return new S3ArchiveStore(described, client.build());
        }

        /**
         * {@code aws.region}, {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, else the fallback. Not the
         * SDK's whole chain: its last link asks the EC2 instance metadata service, a network call
         * that takes seconds to fail anywhere but on EC2.
         */
        private static Region regionFromEnvironment() {
            for (String candidate : new String[] {
                System.getProperty("aws.region"), System.getenv("AWS_REGION"), System.getenv("AWS_DEFAULT_REGION")
            }) {
                if (candidate != null && !candidate.isBlank()) {
                    return Region.of(candidate.strip());
                }
            }
            return Region.of(FALLBACK_REGION);
        }
    }
}
