package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.testing.DatabaseEngine;
import io.valerix.core.testing.RawHttp;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An order costs at most two commits in the order database (the idempotency claim with the
 * PENDING insert; the settle with the stored answer) and one in inventory. Counted on the real
 * databases underneath, on both engines, so a commit added anywhere on the path fails it.
 */
@ParameterizedClass
@EnumSource(DatabaseEngine.class)
class OrderCommitsTest {

    @Parameter
    DatabaseEngine engine;

    @RegisterExtension
    final RunningServices running = new RunningServices();

    private final AtomicReference<CommitCountingDataSource> orderDb = new AtomicReference<>();
    private final AtomicReference<CommitCountingDataSource> inventoryDb = new AtomicReference<>();

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aConfirmedOrderCostsTwoOrderCommitsAndOneInventoryCommit() {
        // Given both services on commit-counting databases, started and idle
        RunningServices.Services services = start();
        int orderBefore = orderDb.get().commits();
        int inventoryBefore = inventoryDb.get().commits();

        // When five orders are placed, each with its own key
        int orders = 5;
        for (int i = 0; i < orders; i++) {
            RawHttp.Reply reply = services.place("commits-" + i, "widget", 1);
            assertThat(reply.status()).as("%s", reply).isEqualTo(201);
        }

        // Then each cost at most two order commits and exactly one inventory commit
        assertThat(orderDb.get().commits() - orderBefore).isBetween(orders, 2 * orders);
        assertThat(inventoryDb.get().commits() - inventoryBefore).isEqualTo(orders);
        assertThat(services.stock("widget").available()).isEqualTo(100 - orders);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aNewKeyIsNotReadBeforeItIsClaimedAndInventoryReservesInOneStatementOnPostgres() {
        // Given both services on counting databases, started and idle
        RunningServices.Services services = start();
        int orderBefore = orderDb.get().statements().size();
        int inventoryBefore = inventoryDb.get().statements().size();

        // When an order is placed with a new key
        RawHttp.Reply reply = services.place("unread", "widget", 1);
        assertThat(reply.status()).as("%s", reply).isEqualTo(201);

        // Then the order database never read the key's record: the claim's insert was its first statement
        List<String> order = orderDb.get()
                .statements()
                .subList(orderBefore, orderDb.get().statements().size());
        assertThat(order)
                .as("order database statements")
                .noneMatch(sql -> sql.stripLeading().toUpperCase(Locale.ROOT).startsWith("SELECT")
                        && sql.contains("idempotency_record"));
        // And inventory reserved in one statement on PostgreSQL, two (the row, the stock) in a transaction on H2
        // (statements on its tables: a readiness probe's own query is not the reserve's)
        List<String> inventory =
                inventoryDb
                        .get()
                        .statements()
                        .subList(inventoryBefore, inventoryDb.get().statements().size())
                        .stream()
                        .filter(sql -> sql.contains("inventory_"))
                        .toList();
        assertThat(inventory).as("inventory statements").hasSize(engine == DatabaseEngine.POSTGRESQL ? 1 : 2);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void onPostgresAnOrderIsTwoStatementsInTheOrderDatabaseAndFourInTwoTransactionsOnH2() {
        // Given both services on counting databases, started and idle
        RunningServices.Services services = start();
        int before = orderDb.get().statements().size();

        // When an order is placed with a new key, and confirmed
        RawHttp.Reply reply = services.place("joined", "widget", 1);
        assertThat(reply.status()).as("%s", reply).isEqualTo(201);

        // Then the order database got, on PostgreSQL, one statement claiming the key with the PENDING
        // insert and one settling the order with the stored answer; on H2 each of those is two
        // statements in a transaction (writes only: the reconciler's background reads are not the order's)
        List<String> sent = orderDb
                .get()
                .statements()
                .subList(before, orderDb.get().statements().size())
                .stream()
                .filter(sql -> !sql.stripLeading().toUpperCase(Locale.ROOT).startsWith("SELECT"))
                .toList();
        if (engine == DatabaseEngine.POSTGRESQL) {
            assertThat(sent).as("order database statements").hasSize(2);
            assertThat(sent.get(0)).contains("INSERT INTO idempotency_record").contains("INSERT INTO orders");
            assertThat(sent.get(1)).contains("UPDATE orders").contains("UPDATE idempotency_record");
        } else {
            assertThat(sent).as("order database statements").hasSize(4);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aReplayedRetryCostsNoCommitAnywhere() {
        // Given an order placed and its answer stored
        RunningServices.Services services = start();
        RawHttp.Reply first = services.place("replayed", "widget", 2);
        assertThat(first.status()).as("%s", first).isEqualTo(201);
        int orderBefore = orderDb.get().commits();
        int inventoryBefore = inventoryDb.get().commits();

        // When the client retries it with the same key
        RawHttp.Reply retry = services.place("replayed", "widget", 2);

        // Then it gets the stored answer, and nothing was written
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(orderDb.get().commits()).isEqualTo(orderBefore);
        assertThat(inventoryDb.get().commits()).isEqualTo(inventoryBefore);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRejectedRequestCostsNoCommit() {
        // Given both services, idle
        RunningServices.Services services = start();
        int orderBefore = orderDb.get().commits();

        // When an order asks for an impossible quantity
        RawHttp.Reply reply = services.place("bad-quantity", "widget", 0);

        // Then it is refused without a single write (no claim is taken and released)
        assertThat(reply.status()).isEqualTo(400);
        assertThat(orderDb.get().commits()).isEqualTo(orderBefore);
    }

    private RunningServices.Services start() {
        return running.start(s -> s.engine(engine)
                .stock("widget=100")
                .timeout(Duration.ofSeconds(5))
                // The instance's heartbeat is one commit per period, whatever the orders: out of the count.
                .order(order -> order.heartbeatPeriod(Duration.ofHours(1)))
                .orderDatabase(real -> {
                    orderDb.set(CommitCountingDataSource.over(real));
                    return orderDb.get().dataSource();
                })
                .inventoryDatabase(real -> {
                    inventoryDb.set(CommitCountingDataSource.over(real));
                    return inventoryDb.get().dataSource();
                }));
    }
}
