package io.valerix.harness.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.harness.chaos.DatabaseSnapshot.OrderRow;
import io.valerix.harness.chaos.DatabaseSnapshot.ReservationRow;
import io.valerix.harness.chaos.DatabaseSnapshot.StockRow;
import io.valerix.harness.report.AttemptRecord;
import io.valerix.harness.report.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToLongFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The checker on generated histories: every history a correct system can produce (confirmed,
 * rejected, pending-then-settled, unanswered, duplicated requests) passes, and injecting any one
 * anomaly into it makes the verdict FAIL and counts that anomaly.
 */
class ConsistencyCheckerProperties {

    /** One anomaly, how to inject it, and the count that must show it. */
    enum Anomaly {
        LOST(Verdict::lost),
        DUPLICATED(Verdict::duplicated),
        OVERSOLD(Verdict::oversold),
        UNCONSERVED(Verdict::unconserved),
        PENDING(Verdict::pending),
        DISAGREEMENT(Verdict::disagreements);

        final ToLongFunction<Verdict> count;

        Anomaly(ToLongFunction<Verdict> count) {
            this.count = count;
        }
    }

    /** How an intent ended. */
    enum Ending {
        CONFIRMED,
        PENDING_THEN_CONFIRMED,
        REJECTED,
        UNANSWERED_FAILED,
        UNANSWERED_NEVER_STORED,
        TIMED_OUT_THEN_FAILED
    }

    record Intent(String sku, int quantity, Ending ending, boolean duplicated) {}

    @Provide
    Arbitrary<List<Intent>> histories() {
        Arbitrary<Intent> intent = Combinators.combine(
                        Arbitraries.of("widget", "gizmo", "doohickey"),
                        Arbitraries.integers().between(1, 4),
                        Arbitraries.of(Ending.class),
                        Arbitraries.of(true, false))
                .as(Intent::new);
        return intent.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 300)
    void everyConsistentHistoryPasses(@ForAll("histories") List<Intent> intents) {
        Verdict verdict = new History(intents).check();

        assertThat(verdict.passed()).as("%s", verdict).isTrue();
        assertThat(verdict.intents()).isEqualTo(intents.size());
    }

    @Property(tries = 600)
    void everySingleInjectedAnomalyFails(
            @ForAll("histories") List<Intent> intents, @ForAll Anomaly anomaly, @ForAll Random random) {
        History history = new History(intents);
        history.inject(anomaly, random);

        Verdict verdict = history.check();

        assertThat(verdict.passed())
                .as("%s after injecting %s", verdict, anomaly)
                .isFalse();
        assertThat(verdict.name()).isEqualTo("FAIL");
        assertThat(anomaly.count.applyAsLong(verdict))
                .as("%s count in %s", anomaly, verdict)
                .isPositive();
    }

    /** A run as a correct system would leave it: the client's log and both databases. */
    private static final class History {
        private final List<AttemptRecord> log = new ArrayList<>();
        private final List<OrderRow> orders = new ArrayList<>();
        private final List<ReservationRow> reservations = new ArrayList<>();
        private final Map<String, Long> available =
                new LinkedHashMap<>(Map.of("widget", 20L, "gizmo", 3L, "doohickey", 0L));
        private final List<StockRow> before = new ArrayList<>();
        private final Map<String, Long> reserved = new LinkedHashMap<>();
        private List<StockRow> afterRows;
        private double clock;

        History(List<Intent> intents) {
            available.forEach((sku, qty) -> before.add(new StockRow(sku, qty, 0, qty)));
            for (int i = 0; i < intents.size(); i++) {
                play(i, "o-" + i, intents.get(i));
            }
        }

        private void play(int number, String id, Intent intent) {
            boolean fits = available.get(intent.sku()) >= intent.quantity();
            Ending ending = intent.ending();
            if (!fits && (ending == Ending.CONFIRMED || ending == Ending.PENDING_THEN_CONFIRMED)) {
                ending = Ending.REJECTED;
            }
            switch (ending) {
                case CONFIRMED -> {
                    told(number, id, intent, 201, "CONFIRMED");
                    reserve(id, intent);
                    orders.add(new OrderRow(id, intent.sku(), intent.quantity(), "CONFIRMED"));
                }
                case PENDING_THEN_CONFIRMED -> {
                    told(number, id, intent, 202, "PENDING");
                    told(number, id, intent, 200, "CONFIRMED");
                    reserve(id, intent);
                    orders.add(new OrderRow(id, intent.sku(), intent.quantity(), "CONFIRMED"));
                }
                case REJECTED -> {
                    told(number, id, intent, 201, "REJECTED");
                    reservations.add(new ReservationRow(id, intent.sku(), intent.quantity(), "REJECTED"));
                    orders.add(new OrderRow(id, intent.sku(), intent.quantity(), "REJECTED"));
                }
                case UNANSWERED_FAILED, TIMED_OUT_THEN_FAILED -> {
                    told(number, id, intent, 0, null);
                    if (ending == Ending.TIMED_OUT_THEN_FAILED) {
                        told(number, id, intent, 200, "FAILED");
                    }
                    reservations.add(new ReservationRow(id, null, 0, "CANCELLED"));
                    orders.add(new OrderRow(id, intent.sku(), intent.quantity(), "FAILED"));
                }
                case UNANSWERED_NEVER_STORED -> told(number, id, intent, 0, null);
            }
            if (intent.duplicated() && ending != Ending.UNANSWERED_NEVER_STORED) {
                AttemptRecord last = log.getLast();
                clock += 1;
                log.add(new AttemptRecord(
                        number,
                        id,
                        intent.sku(),
                        intent.quantity(),
                        AttemptRecord.DUPLICATE,
                        last.attempt() + 1,
                        "chaos",
                        clock,
                        clock,
                        clock + 1,
                        1,
                        last.status() == 0 ? 0 : 200,
                        last.orderStatus(),
                        last.error()));
            }
        }

        private void reserve(String id, Intent intent) {
            available.merge(intent.sku(), (long) -intent.quantity(), Long::sum);
            reserved.merge(intent.sku(), (long) intent.quantity(), Long::sum);
            reservations.add(new ReservationRow(id, intent.sku(), intent.quantity(), "RESERVED"));
        }

        private void told(int number, String id, Intent intent, int status, String orderStatus) {
            clock += 10;
            long attempts = log.stream().filter(a -> a.orderId().equals(id)).count();
            log.add(new AttemptRecord(
                    number,
                    id,
                    intent.sku(),
                    intent.quantity(),
                    attempts == 0 ? AttemptRecord.FIRST : AttemptRecord.FOLLOW_UP,
                    (int) attempts + 1,
                    "chaos",
                    clock,
                    clock,
                    clock + 5,
                    5,
                    status,
                    orderStatus,
                    status == 0 ? "timeout" : null));
        }

        private List<StockRow> after() {
            List<StockRow> rows = new ArrayList<>();
            for (StockRow start : before) {
                long held = reserved.getOrDefault(start.sku(), 0L);
                rows.add(new StockRow(start.sku(), available.get(start.sku()), held, start.total()));
            }
            return rows;
        }

        Verdict check() {
            return ConsistencyChecker.check(
                    log, new DatabaseSnapshot(orders, reservations, before, afterRows != null ? afterRows : after()));
        }

        /** Breaks the history in exactly one way. */
        void inject(Anomaly anomaly, Random random) {
            afterRows = after();
            switch (anomaly) {
                case LOST -> {
                    // An order the client was told about disappears; if there is none, one it was told CONFIRMED for.
                    List<OrderRow> answered = orders.stream()
                            .filter(o -> log.stream()
                                    .anyMatch(a -> a.orderId().equals(o.orderId()) && a.orderStatus() != null))
                            .toList();
                    if (answered.isEmpty()) {
                        clock += 10;
                        log.add(new AttemptRecord(
                                999,
                                "o-told",
                                "widget",
                                1,
                                AttemptRecord.FIRST,
                                1,
                                "chaos",
                                clock,
                                clock,
                                clock + 5,
                                5,
                                201,
                                "CONFIRMED",
                                null));
                    } else {
                        OrderRow gone = answered.get(random.nextInt(answered.size()));
                        orders.remove(gone);
                        reservations.removeIf(r -> r.orderId().equals(gone.orderId())
                                && !r.status().equals("RESERVED"));
                    }
                }
                case DUPLICATED -> {
                    // The stock a second reservation took is accounted for, so only the duplicate is wrong.
                    reservations.add(new ReservationRow("o-0-again", "widget", 1, "RESERVED"));
                    afterRows = shift(afterRows, "widget", -1, +1);
                }
                case OVERSOLD -> afterRows = replace(afterRows, "doohickey", new StockRow("doohickey", -1, 1, 0));
                case UNCONSERVED -> {
                    StockRow row = afterRows.get(random.nextInt(afterRows.size()));
                    afterRows = replace(
                            afterRows,
                            row.sku(),
                            new StockRow(row.sku(), row.available() + 1, row.reserved(), row.total() + 1));
                }
                case PENDING -> {
                    OrderRow row = orders.isEmpty() ? null : orders.get(random.nextInt(orders.size()));
                    if (row == null) {
                        orders.add(new OrderRow(
                                "o-0", log.getFirst().sku(), log.getFirst().quantity(), "PENDING"));
                    } else {
                        orders.set(
                                orders.indexOf(row), new OrderRow(row.orderId(), row.sku(), row.quantity(), "PENDING"));
                    }
                }
                case DISAGREEMENT -> {
                    // A reservation held for an intent whose order is FAILED or REJECTED, or that has no order.
                    OrderRow settled = orders.stream()
                            .filter(o -> !o.status().equals("CONFIRMED"))
                            .findFirst()
                            .orElse(null);
                    String id = settled == null
                            ? log.stream()
                                    .filter(a -> orders.stream()
                                            .noneMatch(o -> o.orderId().equals(a.orderId())))
                                    .map(AttemptRecord::orderId)
                                    .findFirst()
                                    .orElse(null)
                            : settled.orderId();
                    if (id == null) {
                        // Every intent is CONFIRMED: one of them loses its reservation instead.
                        OrderRow confirmed = orders.getFirst();
                        reservations.removeIf(r -> r.orderId().equals(confirmed.orderId()));
                        afterRows = shift(afterRows, confirmed.sku(), confirmed.quantity(), -confirmed.quantity());
                    } else {
                        String sku = log.stream()
                                .filter(a -> a.orderId().equals(id))
                                .findFirst()
                                .orElseThrow()
                                .sku();
                        int quantity = log.stream()
                                .filter(a -> a.orderId().equals(id))
                                .findFirst()
                                .orElseThrow()
                                .quantity();
                        reservations.removeIf(r -> r.orderId().equals(id));
                        reservations.add(new ReservationRow(id, sku, quantity, "RESERVED"));
                        afterRows = shift(afterRows, sku, -quantity, quantity);
                    }
                }
            }
        }

        private static List<StockRow> shift(List<StockRow> rows, String sku, long availableBy, long reservedBy) {
            StockRow row =
                    rows.stream().filter(r -> r.sku().equals(sku)).findFirst().orElseThrow();
            return replace(
                    rows,
                    sku,
                    new StockRow(sku, row.available() + availableBy, row.reserved() + reservedBy, row.total()));
        }

        private static List<StockRow> replace(List<StockRow> rows, String sku, StockRow replacement) {
            return rows.stream().map(r -> r.sku().equals(sku) ? replacement : r).toList();
        }
    }
}
