package io.valerix.harness.backup;

import io.valerix.core.http.JsonServer;
import io.valerix.core.http.Problem;
import io.valerix.core.http.ProblemType;
import io.valerix.core.http.Request;
import io.valerix.core.http.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for the off-site backup service, so the quota is tested against a real server: it
 * accepts one {@code POST /backups} per UTC day (bundle as {@code application/zip}) and answers
 * every further call that day with 429 {@code backup-quota-exceeded} and {@code Retry-After}. It
 * counts every call, refused ones included: {@code GET /backups} shows the count and what was
 * accepted.
 *
 * <p>The day is the UTC date of an injectable clock. Bundles are kept in a directory if one is
 * given. Binds loopback. Thread-safe; who starts it closes it.
 */
public final class BackupServiceStandIn implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BackupServiceStandIn.class);

    /** The day's call is spent. */
    public static final ProblemType QUOTA_EXCEEDED =
            ProblemType.of("backup-quota-exceeded", "Backup quota exceeded", 429);
    /** The body does not match its {@code Valerix-Backup-Sha256}. */
    public static final ProblemType CHECKSUM_MISMATCH =
            ProblemType.of("backup-checksum-mismatch", "Backup checksum mismatch", 400);
    /** The largest bundle accepted. */
    public static final long MAX_BUNDLE_BYTES = 512L * 1024 * 1024;

    /** One accepted bundle. */
    public record Accepted(String id, LocalDate day, long bytes, String sha256, Instant receivedAt) {}

    private final InstantSource clock;
    private final Path storeDirectory;
    private final JsonServer server;
    private final List<Accepted> accepted = new ArrayList<>();
    private int calls;

    private BackupServiceStandIn(int port, InstantSource clock, Path storeDirectory) {
        this.clock = clock;
        this.storeDirectory = storeDirectory;
        this.server = JsonServer.builder()
                .name("backup-service")
                .port(port)
                .maxBodyBytes(MAX_BUNDLE_BYTES)
                .route("POST", "/backups", this::receive)
                .route("GET", "/backups", request -> Response.json(200, view()))
                .build();
    }

    /**
     * Starts the stand-in on {@code port} (0 picks one).
     *
     * @param storeDirectory where accepted bundles are written, or null to keep none
     */
    public static BackupServiceStandIn start(int port, InstantSource clock, Path storeDirectory) {
        Objects.requireNonNull(clock, "clock");
        BackupServiceStandIn standIn = new BackupServiceStandIn(port, clock, storeDirectory);
        standIn.server.start();
        return standIn;
    }

    /** Where to POST bundles: {@code http://127.0.0.1:<port>/backups}. */
    public URI endpoint() {
        return server.uri().resolve("/backups");
    }

    /** Every call received, accepted or refused. */
    public synchronized int calls() {
        return calls;
    }

    /** The bundles accepted, in order. */
    public synchronized List<Accepted> accepted() {
        return List.copyOf(accepted);
    }

    @Override
    public void close() {
        server.close();
    }

    private synchronized Response receive(Request request) {
        calls++;
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (accepted.stream().anyMatch(earlier -> earlier.day().equals(day))) {
            long untilMidnight =
                    Duration.between(now, day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC))
                                    .toSeconds()
                            + 1;
            log.warn("refused backup call #{} of {}: the day's call was made", calls, day);
            return Response.problem(
                            Problem.of(QUOTA_EXCEEDED, "one backup call per UTC day; the call of " + day + " was made"))
                    .withHeader("Retry-After", Long.toString(untilMidnight));
        }
        byte[] body = request.body();
        String sha = sha256(body);
        String claimed = request.header("Valerix-Backup-Sha256").orElse(sha);
        if (!claimed.equalsIgnoreCase(sha)) {
            return Response.problem(
                    Problem.of(CHECKSUM_MISMATCH, "the body's SHA-256 is " + sha + ", the header says " + claimed));
        }
        String id = "backup-" + day + "-" + sha.substring(0, 12);
        if (storeDirectory != null) {
            try {
                Files.createDirectories(storeDirectory);
                Files.write(storeDirectory.resolve(id + ".zip"), body);
            } catch (IOException e) {
                throw new UncheckedIOException("storing " + id + " failed", e);
            }
        }
        Accepted stored = new Accepted(id, day, body.length, sha, now);
        accepted.add(stored);
        log.info("accepted backup {} ({} bytes)", id, body.length);
        return Response.json(201, stored);
    }

    private synchronized Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("calls", calls);
        view.put("accepted", List.copyOf(accepted));
        return view;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
