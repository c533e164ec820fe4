package io.valerix.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.jdbc.SchemaMigrations;
import io.valerix.core.testing.DatabaseEngine;
import io.valerix.core.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(DatabaseEngine.class)
class JdbcIdempotencyStoreTest extends IdempotencyStoreContract {

    @Parameter
    DatabaseEngine engine;

    @TempDir
    Path dir;

    private TestDatabase database;
    private HikariDataSource db;
    private IdempotencyStore store;

    @BeforeEach
    void openDatabase() {
        database = engine.create(dir, "idempotency");
        db = database.open(8);
        SchemaMigrations.migrate(db, IdempotencyStore.SCHEMA);
        store = IdempotencyStore.of(db);
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }

    @Override
    IdempotencyStore store() {
        return store;
    }

    @Test
    void twoStoresOverTwoPoolsOnOneDatabaseRaceForAKeyAndOneWins() throws Exception {
        try (HikariDataSource otherPool = database.open(8)) {
            List<IdempotencyStore> instances = List.of(store, IdempotencyStore.of(otherPool));
            int perInstance = 8;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2 * perInstance);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 2 * perInstance; i++) {
                    IdempotencyStore instance = instances.get(i % 2);
                    results.add(pool.submit(() -> {
                        IdempotencyRecord mine = IdempotencyRecord.inProgress(
                                SCOPE, "shared", FINGERPRINT, instance.nextFencingToken(), T0, T0.plusSeconds(30));
                        start.await();
                        return instance.insert(mine);
                    }));
                }
                start.countDown();
                int winners = 0;
                for (Future<Boolean> result : results) {
                    winners += result.get(10, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(winners).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void recordsSurviveReopeningTheDatabase() {
        IdempotencyRecord claimed = claim("durable", T0);
        store.insert(claimed);
        IdempotencyRecord completed = claimed.completed(answer("{}"), T0.plusSeconds(1), T0.plusSeconds(100));
        store.replace(claimed.fencingToken(), completed);
        db.close();

        db = database.open(2);
        assertThat(IdempotencyStore.of(db).find(SCOPE, "durable")).contains(completed);
    }

    @Test
    void fencingTokensNeverRepeatAndKeepIncreasingAcrossAReopen() {
        long last = 0;
        for (int i = 0; i < 100; i++) {
            long token = store.nextFencingToken();
            assertThat(token).isGreaterThan(last);
            last = token;
        }
        db.close();

        // H2 caches the sequence (V2): a reopened database continues past the cached range, never inside it.
        db = database.open(2);
        assertThat(IdempotencyStore.of(db).nextFencingToken()).isGreaterThan(last);
    }

    @Test
    void aMissingTableIsAStoreFailureNamingTheKey() throws Exception {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE idempotency_record");
        }

        assertThatThrownBy(() -> store.insert(claim("k1", T0)))
                .isInstanceOf(IdempotencyStoreException.class)
                .hasMessageContaining("'k1' in POST /orders");
    }

    @Test
    void anUnreadableRowIsAStoreFailureNotAWrongAnswer() throws Exception {
        IdempotencyRecord claimed = claim("k1", T0);
        store.insert(claimed);
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            // COMPLETED without an answer cannot be replayed; it must not be mistaken for one.
            s.execute("UPDATE idempotency_record SET state = 'COMPLETED' WHERE idem_key = 'k1'");
        }

        assertThatThrownBy(() -> store.find(SCOPE, "k1"))
                .isInstanceOf(IdempotencyStoreException.class)
                .hasMessageContaining("unreadable");
    }
}
