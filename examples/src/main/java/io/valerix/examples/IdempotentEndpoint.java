package io.valerix.examples;

// snippet:start idempotent-imports
import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.ProblemType;
import io.valerix.core.http.Request;
import io.valerix.core.http.Response;
import io.valerix.core.idempotency.IdempotencyConfig;
import io.valerix.core.idempotency.IdempotencyFilter;
import io.valerix.core.idempotency.IdempotencyStore;
import io.valerix.core.idempotency.KeyExtractor;
import io.valerix.core.idempotency.ReplayMode;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.jdbc.SchemaMigrations;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
// snippet:end idempotent-imports
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An idempotent {@code POST /payments} on your own {@link JsonServer}: a retry with the same
 * {@code Idempotency-Key} (or the same body {@code paymentId}) gets the first answer back instead
 * of charging twice; a payment still in review answers 202 and is looked at again on a retry; a
 * final decline (402) is kept and replayed.
 *
 * <p>The keys live in H2 files under a directory of your choice (any {@code DataSource} works:
 * {@code IdempotencyStore.of(dataSource)}). Run it: {@code java -cp ...
 * io.valerix.examples.IdempotentEndpoint [dataDir]}.
 */
public final class IdempotentEndpoint implements AutoCloseable {

    /** The request body. {@code paymentId} is optional; without it the key names the payment. */
    public record Charge(String paymentId, String account, long amountCents) {}

    /** A payment as the ledger holds it. */
    public record Payment(String id, String account, long amountCents, Status status) {}

    /** Where a payment stands. */
    public enum Status {
        APPROVED,
        IN_REVIEW,
        DECLINED
    }

    static final ProblemType INVALID_CHARGE = ProblemType.of("invalid-charge", "Invalid charge", 400);

    /** Amounts above this need a review; above {@link #DECLINE_ABOVE_CENTS} they are declined. */
    public static final long REVIEW_ABOVE_CENTS = 50_000;

    public static final long DECLINE_ABOVE_CENTS = 100_000;

    private final Ledger ledger = new Ledger();
    private final HikariDataSource db;
    private final IdempotencyFilter idempotency;
    private final JsonServer server;
    private final ScheduledExecutorService scheduler;

    private IdempotentEndpoint(Path dataDir) {
        // snippet:start idempotent-setup
        HikariDataSource db = H2Database.open(dataDir, "payments", 10); // or any DataSource of yours
        SchemaMigrations.migrate(db, IdempotencyStore.SCHEMA); // creates idempotency_record

        IdempotencyFilter idempotency = IdempotencyFilter.of(
                        IdempotencyStore.of(db),
                        IdempotencyConfig.builder()
                                .routes("POST /payments")
                                .fallbackKey(KeyExtractor.bodyField("paymentId"))
                                .instanceId("payments-1") // stable across restarts, unique among instances
                                .build())
                .start(); // frees what this instance's crashed predecessor held; heartbeats

        JsonServer server = JsonServer.builder()
                .port(0)
                .filter(idempotency)
                .route("POST", "/payments", this::charge)
                .route("GET", "/payments/{paymentId}", this::find)
                .build()
                .start();

        // Housekeeping, from any one scheduled task (safe to run on every instance):
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        scheduler.scheduleAtFixedRate(
                () -> {
                    idempotency.purgeExpired(); // finished records past their retention
                    idempotency.recoverExpired(); // claims abandoned by crashed requests
                },
                1,
                1,
                TimeUnit.MINUTES);
        // snippet:end idempotent-setup
        this.db = db;
        this.idempotency = idempotency;
        this.server = server;
        this.scheduler = scheduler;
    }

    /** Opens the store and starts the server on a free loopback port; who starts it closes it. */
    public static IdempotentEndpoint start(Path dataDir) {
        return new IdempotentEndpoint(dataDir);
    }

    // snippet:start idempotent-handler
    Response charge(Request request) {
        Charge charge = request.bodyAs(Charge.class);
        if (charge.account() == null || charge.amountCents() <= 0) {
            throw INVALID_CHARGE.exception("account and a positive amountCents are required"); // 400: not kept
        }
        String paymentId = charge.paymentId() != null
                ? charge.paymentId()
                : "pay-" + IdempotencyFilter.keyOf(request).orElseThrow(); // the parsed key, not the raw header
        Payment payment = ledger.charge(paymentId, charge); // idempotent on paymentId
        return switch (payment.status()) {
            case APPROVED -> Response.json(201, payment).withHeader("Location", "/payments/" + payment.id());
            case IN_REVIEW -> Response.json(202, payment); // not final: a retry calls charge() again
            case DECLINED -> {
                IdempotencyFilter.replayMode(request, ReplayMode.REPLAY); // a final 402: keep it
                yield Response.json(402, payment);
            }
        };
    }
    // snippet:end idempotent-handler

    Response find(Request request) {
        Payment payment = ledger.payments.get(request.pathParam("paymentId"));
        if (payment == null) {
            throw ProblemType.NOT_FOUND.exception("no payment " + request.pathParam("paymentId"));
        }
        return Response.json(200, payment);
    }

    /** Where the server listens. */
    public URI uri() {
        return server.uri();
    }

    /** How many times a charge was actually taken (a retry that replays takes none). */
    public int chargesTaken() {
        return ledger.charges.get();
    }

    /** How many times the handler ran. */
    public int handlerRuns() {
        return ledger.runs.get();
    }

    /** A reviewer approves a payment that was in review; the next retry answers 201. */
    public void approve(String paymentId) {
        ledger.payments.computeIfPresent(
                paymentId,
                (id, p) -> p.status() == Status.IN_REVIEW
                        ? new Payment(id, p.account(), p.amountCents(), Status.APPROVED)
                        : p);
    }

    /** The filter, for its housekeeping calls. */
    public IdempotencyFilter idempotency() {
        return idempotency;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        server.close();
        idempotency.close(); // after serving stopped: retires this instance, its claims are free
        db.close();
    }

    /** A stand-in for a payment provider: idempotent on the payment id, and it counts. */
    private static final class Ledger {
        final Map<String, Payment> payments = new ConcurrentHashMap<>();
        final AtomicInteger charges = new AtomicInteger();
        final AtomicInteger runs = new AtomicInteger();

        Payment charge(String paymentId, Charge charge) {
            runs.incrementAndGet();
            return payments.computeIfAbsent(paymentId, id -> {
                charges.incrementAndGet();
                Status status = charge.amountCents() > DECLINE_ABOVE_CENTS
                        ? Status.DECLINED
                        : charge.amountCents() > REVIEW_ABOVE_CENTS ? Status.IN_REVIEW : Status.APPROVED;
                return new Payment(id, charge.account(), charge.amountCents(), status);
            });
        }
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("valerix-example");
        IdempotentEndpoint endpoint = start(dataDir);
        Runtime.getRuntime().addShutdownHook(new Thread(endpoint::close));
        // An example's own output: printing is what it is for.
        System.out.println("POST " + endpoint.uri().resolve("/payments")
                + " with 'Idempotency-Key: <key>' and {\"account\":\"acc-1\",\"amountCents\":1200}");
        Thread.currentThread().join();
    }
}
