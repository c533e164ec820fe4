package io.valerix.examples;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.deadline.Deadline;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.ProblemType;
import io.valerix.core.http.Request;
import io.valerix.core.http.Response;
import io.valerix.core.idempotency.IdempotencyConfig;
import io.valerix.core.idempotency.IdempotencyFilter;
import io.valerix.core.idempotency.IdempotencyStore;
import io.valerix.core.idempotency.KeyClaim;
import io.valerix.core.jdbc.DeadlineBoundDataSource;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.jdbc.SchemaMigrations;
import io.valerix.core.journal.ChangeJournal;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * An idempotent {@code POST /transfers} whose key is claimed in the handler's own first
 * transaction ({@code claimWithFirstWrite}): the key's record and the transfer row are one commit,
 * and the settled row with the stored answer another, instead of two more commits beside the
 * handler's. See docs/idempotency.md, "Claiming with the handler's first write".
 *
 * <p>Who starts it closes it.
 */
public final class OneCommitTransfers implements AutoCloseable {

    /** The request body. */
    public record Transfer(String from, String to, long amountCents) {}

    static final ProblemType INVALID_TRANSFER = ProblemType.of("invalid-transfer", "Invalid transfer", 400);

    private final HikariDataSource pool;
    private final DeadlineBoundDataSource database;
    private final JsonServer server;

    private OneCommitTransfers(Path dataDir) {
        pool = H2Database.open(dataDir, "transfers", 10);
        SchemaMigrations.migrate(pool, IdempotencyStore.SCHEMA);
        try (Connection c = pool.getConnection();
                Statement create = c.createStatement()) {
            create.execute("CREATE TABLE IF NOT EXISTS transfer (id VARCHAR(255) PRIMARY KEY,"
                    + " from_account VARCHAR(64) NOT NULL, to_account VARCHAR(64) NOT NULL,"
                    + " amount_cents BIGINT NOT NULL, state VARCHAR(16) NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the transfer table", e);
        }
        // snippet:start one-commit-setup
        DeadlineBoundDataSource database = DeadlineBoundDataSource.of(pool); // shared by every user of the pool
        IdempotencyFilter idempotency = IdempotencyFilter.of(
                IdempotencyStore.of(database, ChangeJournal.off()),
                IdempotencyConfig.builder()
                        .routes("POST /transfers")
                        .claimWithFirstWrite(true)
                        .build());
        // snippet:end one-commit-setup
        this.database = database;
        this.server = JsonServer.builder()
                .port(0)
                .filter(idempotency)
                .route("POST", "/transfers", this::transfer)
                .build()
                .start();
    }

    /** Opens the database and starts the server on a free loopback port. */
    public static OneCommitTransfers start(Path dataDir) {
        return new OneCommitTransfers(dataDir);
    }

    // snippet:start one-commit-handler
    Response transfer(Request request) throws SQLException {
        Transfer transfer = request.bodyAs(Transfer.class);
        if (transfer.from() == null || transfer.to() == null || transfer.amountCents() <= 0) {
            throw INVALID_TRANSFER.exception("from, to and a positive amountCents are required"); // nothing written
        }
        String id = "tr-" + IdempotencyFilter.keyOf(request).orElseThrow();
        KeyClaim claim = IdempotencyFilter.claimOf(request).orElseThrow();
        Deadline deadline = request.deadline();
        claim.claim(deadline, c -> insertTransfer(c, id, transfer)); // key + transfer row: one commit
        // ... call other services here, holding no connection ...
        return claim.complete(
                deadline,
                c -> { // settle + stored answer: one commit
                    settle(c, id);
                    return Response.json(201, Map.of("id", id, "state", "DONE"))
                            .withHeader("Location", "/transfers/" + id);
                });
    }
    // snippet:end one-commit-handler

    private static int insertTransfer(Connection c, String id, Transfer t) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO transfer (id, from_account, to_account, amount_cents, state) VALUES (?, ?, ?, ?, 'STARTED')")) {
            insert.setString(1, id);
            insert.setString(2, t.from());
            insert.setString(3, t.to());
            insert.setLong(4, t.amountCents());
            return insert.executeUpdate();
        }
    }

    private static void settle(Connection c, String id) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE transfer SET state = 'DONE' WHERE id = ?")) {
            update.setString(1, id);
            update.executeUpdate();
        }
    }

    /** How many transfer rows exist (a replayed retry adds none). */
    public int transferRows() throws SQLException {
        return database.inTransaction(Deadline.after(java.time.Duration.ofSeconds(10)), c -> {
            try (Statement count = c.createStatement();
                    ResultSet rows = count.executeQuery("SELECT COUNT(*) FROM transfer")) {
                rows.next();
                return rows.getInt(1);
            }
        });
    }

    /** Where the server listens. */
    public URI uri() {
        return server.uri();
    }

    @Override
    public void close() {
        server.close();
        pool.close();
    }
}
