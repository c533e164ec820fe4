package io.valerix.core.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Protects every route under a path prefix (by default {@code /admin/}) with a bearer token: no
 * or malformed {@code Authorization} header is 401 {@code unauthorized} (with {@code
 * WWW-Authenticate: Bearer}), a wrong token is 403 {@code forbidden}. Tokens are compared in
 * constant time. Immutable and thread-safe.
 */
public final class BearerTokenFilter implements Filter {

  /** The shortest token accepted: guessing 16 characters is out of reach. */
  public static final int MIN_TOKEN_LENGTH = 16;

  private final String prefix;
  private final byte[] token;

  private BearerTokenFilter(String prefix, String token) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(token, "token");
    if (token.length() < MIN_TOKEN_LENGTH || !token.matches("[A-Za-z0-9._~+/-]+=*")) {
      throw new IllegalArgumentException(
          "admin token must be at least " + MIN_TOKEN_LENGTH + " characters of A-Z a-z 0-9 . _ ~ + / -, but was "
              + token.length() + " characters long");
    }
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /** Protects every path starting with {@code /admin/} (and {@code /admin} itself). */
  public static BearerTokenFilter admin(String token) {
    return new BearerTokenFilter("/admin", token);
  }

  /** A random 32-hex-digit token, for a server started without one configured. */
  public static String randomToken() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public Response filter(Request request, Handler next) throws Exception {
    String path = request.path();
    if (!(path.equals(prefix) || path.startsWith(prefix + "/"))) {
      return next.handle(request);
    }
    String header = request.header("Authorization").orElse("");
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
      return Response.problem(Problem.of(ProblemType.UNAUTHORIZED, "send the admin token as 'Authorization: Bearer <token>'")
              .withInstance(path))
          .withHeader("WWW-Authenticate", "Bearer realm=\"valerix-admin\"");
    }
    byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(presented, token)) {
      return Response.problem(Problem.of(ProblemType.FORBIDDEN, "the admin token is not valid").withInstance(path));
    }
    return next.handle(request);
  }
}
