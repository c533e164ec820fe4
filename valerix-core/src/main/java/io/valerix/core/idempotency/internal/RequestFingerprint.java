package io.valerix.core.idempotency.internal;

import io.valerix.core.http.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * What makes two requests "the same request" for an idempotency key: SHA-256 over the method, the
 * route template, the path and the body, as 64 lower-case hex digits.
 *
 * <p>A JSON body ({@code application/json} or {@code application/*+json}) is hashed in its {@link
 * CanonicalJson canonical} form, so reordered members and {@code 1} vs {@code 1.0} are the same
 * request; any other body, or JSON that does not parse, is hashed as raw bytes. The path is
 * included beside the template so one key sent to {@code /reservations/a} and then to {@code
 * /reservations/b} is a reused key (422), not a replay of a's answer. The query string is not
 * part of it. Each part is length-prefixed so no two different requests hash the same input.
 */
public final class RequestFingerprint {

    private static final String VERSION = "valerix-idempotency-fingerprint-v1";

    private RequestFingerprint() {}

    /** The fingerprint of {@code request}. */
    public static String of(Request request) {
        MessageDigest sha256 = sha256();
        part(sha256, VERSION.getBytes(StandardCharsets.UTF_8));
        part(sha256, request.method().getBytes(StandardCharsets.UTF_8));
        part(sha256, request.route().getBytes(StandardCharsets.UTF_8));
        part(sha256, request.path().getBytes(StandardCharsets.UTF_8));
        byte[] body = request.body();
        Optional<String> canonical = isJson(request.header("Content-Type").orElse(null))
                ? CanonicalJson.canonicalize(body)
                : Optional.empty();
        if (canonical.isPresent()) {
            part(sha256, "json".getBytes(StandardCharsets.UTF_8));
            part(sha256, canonical.get().getBytes(StandardCharsets.UTF_8));
        } else {
            part(sha256, "raw".getBytes(StandardCharsets.UTF_8));
            part(sha256, body);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static void part(MessageDigest digest, byte[] bytes) {
        digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        digest.update(bytes);
    }

    /** True for {@code application/json} and any {@code application/*+json}, with parameters. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim()
                .toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json")
                || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
