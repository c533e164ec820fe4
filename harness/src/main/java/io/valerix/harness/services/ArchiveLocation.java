package io.valerix.harness.services;

import io.valerix.backup.s3.S3ArchiveStore;
import io.valerix.core.backup.ArchiveStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the archive is: a directory (the default, {@code <data-dir>/archive}) or an S3-compatible
 * bucket, {@code s3://BUCKET/PREFIX}. For a bucket, credentials come from the environment (the AWS
 * SDK's default chain: {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, profiles, roles)
 * and the endpoint of an S3-compatible server from {@code --archive-endpoint}, else {@value
 * #ENDPOINT_ENV_S3}, else {@value #ENDPOINT_ENV}, else AWS itself; with an endpoint, requests are
 * path-style, which S3-compatible servers expect. Immutable.
 *
 * @param directory the archive directory, or null for a bucket
 * @param bucket {@code s3://BUCKET/PREFIX}, or null for a directory
 * @param endpoint the S3-compatible server, or null for AWS (or a directory)
 */
public record ArchiveLocation(Path directory, URI bucket, URI endpoint) {

    /** The AWS SDK's standard variable for the S3 endpoint. */
    public static final String ENDPOINT_ENV_S3 = "AWS_ENDPOINT_URL_S3";
    /** The AWS SDK's standard variable for every service's endpoint. */
    public static final String ENDPOINT_ENV = "AWS_ENDPOINT_URL";

    public ArchiveLocation {
        if ((directory == null) == (bucket == null)) {
            throw new IllegalArgumentException("an archive is a directory or a bucket, one of the two");
        }
    }

    /** An archive in {@code directory}. */
    public static ArchiveLocation directory(Path directory) {
        return new ArchiveLocation(Objects.requireNonNull(directory, "directory"), null, null);
    }

    /**
     * The archive {@code --archive} names ({@code s3://...} or a directory; null means {@code
     * <dataDir>/archive}), with the endpoint from {@code --archive-endpoint} or {@code environment}.
     *
     * @throws IllegalArgumentException naming the option whose value is wrong
     */
    public static ArchiveLocation of(
            String archive, URI endpointOption, Path dataDir, Map<String, String> environment) {
        if (archive == null || !S3ArchiveStore.isBucket(archive)) {
            if (endpointOption != null) {
                throw new IllegalArgumentException(
                        "--archive-endpoint is for an archive in a bucket (--archive s3://BUCKET/PREFIX), but the archive is "
                                + (archive == null
                                        ? "the directory " + ServiceArchiving.defaultArchive(dataDir)
                                        : "the directory " + archive));
            }
            return directory(archive == null ? ServiceArchiving.defaultArchive(dataDir) : Path.of(archive));
        }
        URI bucket;
        try {
            bucket = URI.create(archive);
            S3ArchiveStore.builder(bucket);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--archive: " + e.getMessage(), e);
        }
        URI endpoint = endpointOption;
        String source = "--archive-endpoint";
        for (String variable : new String[] {ENDPOINT_ENV_S3, ENDPOINT_ENV}) {
            String value = environment.get(variable);
            if (endpoint == null && value != null && !value.isBlank()) {
                source = variable;
                try {
                    endpoint = URI.create(value.strip());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(variable + " is not a URL: '" + value + "'", e);
                }
            }
        }
        if (endpoint != null && !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
            throw new IllegalArgumentException(source + " must be an http or https URL, but was '" + endpoint + "'");
        }
        return new ArchiveLocation(null, bucket, endpoint);
    }

    public boolean isBucket() {
        return bucket != null;
    }

    /** Opens the archive: the directory store, or an S3 client for the bucket; close it after use. */
    public Opened open() {
        if (!isBucket()) {
            return new Opened(ArchiveStore.directory(directory));
        }
        S3ArchiveStore.Builder store = S3ArchiveStore.builder(bucket);
        if (endpoint != null) {
            store.endpoint(endpoint).pathStyle(true);
        }
        return new Opened(store.build());
    }

    @Override
    public String toString() {
        return isBucket() ? bucket + (endpoint == null ? "" : " at " + endpoint) : directory.toString();
    }

    /** An open archive; closing it closes its S3 client, if it has one. */
    public record Opened(ArchiveStore store) implements AutoCloseable {
        @Override
        public void close() {
            if (store instanceof S3ArchiveStore bucket) {
                bucket.close();
            }
        }
    }
}
