package io.valerix.backup.s3.internal;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * A bucket and a key prefix, parsed from {@code s3://bucket/prefix}. Immutable.
 *
 * @param bucket the bucket name
 * @param prefix the key prefix, empty or ending in '/'
 * @param endpoint the S3-compatible server, or null for the SDK's default
 */
public record BucketLocation(String bucket, String prefix, URI endpoint) {

    // S3's rules for new buckets: 3-63 lower-case letters, digits, '.' and '-', starting and ending
    // with a letter or digit.
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern PREFIX = Pattern.compile("([a-z0-9][a-z0-9._-]*/)*");

    /**
     * Parses {@code s3://bucket} or {@code s3://bucket/prefix} (a trailing '/' is optional).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static BucketLocation parse(URI uri) {
        if (!"s3".equals(uri.getScheme()) || uri.getRawAuthority() == null) {
            throw new IllegalArgumentException(
                    "an archive in a bucket is s3://BUCKET or s3://BUCKET/PREFIX, but was '" + uri + "'");
        }
        String bucket = uri.getRawAuthority();
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw new IllegalArgumentException(
                    "bucket names are 3-63 lower-case letters, digits, '.' and '-', but was '" + bucket + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("an archive location has no query or fragment, but was '" + uri + "'");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String prefix = path.startsWith("/") ? path.substring(1) : path;
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        if (!PREFIX.matcher(prefix).matches() || prefix.contains("..")) {
            throw new IllegalArgumentException(
                    "the key prefix must be '/'-separated lower-case letters, digits and '._-', but was '" + path
                            + "' in '" + uri + "'");
        }
        return new BucketLocation(bucket, prefix, null);
    }

    public BucketLocation withEndpoint(URI endpoint) {
        return new BucketLocation(bucket, prefix, endpoint);
    }

    /** {@code s3://bucket/key}, for messages. */
    public String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    /** {@code s3://bucket/prefix}, and the endpoint if one is set. */
    public String describe() {
        String base = "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1));
        return endpoint == null ? base : base + " at " + endpoint;
    }
}
