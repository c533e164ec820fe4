package io.valerix.core.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Protects the requests a predicate selects (by default every route under {@code /admin}) with a
 * bearer token: no or malformed {@code Authorization} header is 401 {@code unauthorized} (with
 * {@code WWW-Authenticate: Bearer}), a wrong token is 403 {@code forbidden}. Requests it does not
 * select pass untouched. Tokens are compared in constant time. Immutable and thread-safe.
 *
 * <p>Valerix uses two tokens: the <em>admin</em> token (operators: {@code /admin/**}, the
 * dashboard's API) and the <em>service</em> token (the order service writing reservations to
 * inventory). They protect different routes, so neither opens the other's.
 */
public final class BearerTokenFilter implements Filter {

    /** The shortest token accepted: guessing 16 characters is out of reach. */
    public static final int MIN_TOKEN_LENGTH = 16;

    private final String kind;
    private final byte[] token;
    private final Predicate<Request> protects;

    private BearerTokenFilter(String kind, String token, Predicate<Request> protects) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.token = validToken(kind, token).getBytes(StandardCharsets.UTF_8);
        this.protects = Objects.requireNonNull(protects, "protects");
    }

    /** Protects every path starting with {@code /admin/} (and {@code /admin} itself) with the admin token. */
    public static BearerTokenFilter admin(String token) {
        return of("admin", token, request -> isUnder(request.path(), "/admin"));
    }

    /**
     * Protects the requests {@code protects} selects with {@code token}.
     *
     * @param kind what the token is called in answers and the {@code WWW-Authenticate} realm
     *     ({@code valerix-<kind>}), for example {@code service}; lower-case letters
     * @throws IllegalArgumentException if the token is too short or has characters a bearer token
     *     cannot hold
     */
    public static BearerTokenFilter of(String kind, String token, Predicate<Request> protects) {
        Objects.requireNonNull(kind, "kind");
        if (!kind.matches("[a-z]+")) {
            throw new IllegalArgumentException("kind must be lower-case letters, but was '" + kind + "'");
        }
        return new BearerTokenFilter(kind, token, protects);
    }

    /**
     * Checks that {@code token} can be a bearer token Valerix accepts, and returns it.
     *
     * @param kind what the token is called in the message, for example {@code admin}
     * @throws IllegalArgumentException naming the length (never the token) when it is not
     */
    public static String validToken(String kind, String token) {
        Objects.requireNonNull(token, kind + " token");
        if (token.length() < MIN_TOKEN_LENGTH || !token.matches("[A-Za-z0-9._~+/-]+=*")) {
            throw new IllegalArgumentException(kind + " token must be at least " + MIN_TOKEN_LENGTH
                    + " characters of A-Z a-z 0-9 . _ ~ + / -, but was " + token.length() + " characters long");
        }
        return token;
    }

    /** True when {@code path} is {@code prefix} or below it. */
    public static boolean isUnder(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /** A random 32-hex-digit token (128 bits from {@link SecureRandom}). */
    public static String randomToken() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public Response filter(Request request, Handler next) throws Exception {
        if (!protects.test(request)) {
            return next.handle(request);
        }
        String path = request.path();
        String header = request.header("Authorization").orElse("");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
            return Response.problem(Problem.of(
                                    ProblemType.UNAUTHORIZED,
                                    "send the " + kind + " token as 'Authorization: Bearer <token>'")
                            .withInstance(path))
                    .withHeader("WWW-Authenticate", "Bearer realm=\"valerix-" + kind + "\"");
        }
        byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, token)) {
            return Response.problem(Problem.of(ProblemType.FORBIDDEN, "the " + kind + " token is not valid")
                    .withInstance(path));
        }
        return next.handle(request);
    }
}
