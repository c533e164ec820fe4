package io.valerix.harness.chaos;

import io.valerix.harness.chaos.DatabaseSnapshot.OrderRow;
import io.valerix.harness.chaos.DatabaseSnapshot.ReservationRow;
import io.valerix.harness.chaos.DatabaseSnapshot.StockRow;
import io.valerix.harness.report.AttemptRecord;
import io.valerix.harness.report.Verdict;
import io.valerix.harness.report.Verdict.Finding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Holds the client's log of a chaos run against what the two databases say afterwards, the way
 * Jepsen checks a history: the client knows what it asked for and what it was told; the databases
 * must account for exactly that.
 *
 * <p>An <em>intent</em> is one order a user means to place once: all requests with its order id
 * (first try, retries, duplicates, follow-ups). The counts:
 *
 * <ul>
 *   <li><b>lost</b>: intents the service acknowledged (answered with the order) that have no order
 *       afterwards; intents told CONFIRMED whose order is not CONFIRMED or has no RESERVED
 *       reservation; orders that differ from what their intent asked for.
 *   <li><b>duplicated</b>: orders whose id no intent used; order or reservation ids listed twice;
 *       reservation records (other than tombstones) whose id is no order's and no intent's, that is
 *       a reserve applied under an identity nobody ordered with (an inventory that ignores the
 *       order id).
 *   <li><b>oversold</b> (SKUs): available below zero, more reserved than the total, or the run's
 *       RESERVED reservations holding more than was available when the run began.
 *   <li><b>unconserved</b> (SKUs): {@code total != available + reserved}; the total changed; the
 *       SKU vanished; or the stock the run took ({@code available} before minus after) differs from
 *       the quantities its RESERVED reservations hold. The last assumes nothing else changed the
 *       stock during the run.
 *   <li><b>pending</b>: orders still PENDING after the bounded wait for the reconciler.
 *   <li><b>disagreements</b>: CONFIRMED orders without a matching RESERVED reservation, REJECTED
 *       or FAILED orders with a RESERVED one, RESERVED reservations of an intent that has no order,
 *       and orders whose final status differs from a final status the client was told (final
 *       statuses never change).
 * </ul>
 *
 * <p>A request that was never answered proves nothing either way: an order the client never heard
 * about may exist or not. Stateless and thread-safe.
 */
public final class ConsistencyChecker {

    /** At most this many findings are kept per category; the counts are always complete. */
    public static final int MAX_FINDINGS_PER_CATEGORY = 20;

    private static final Set<String> FINAL = Set.of("CONFIRMED", "REJECTED", "FAILED");

    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final List<Finding> findings = new ArrayList<>();

    private ConsistencyChecker() {
        for (String category : List.of("lost", "duplicated", "oversold", "unconserved", "pending", "disagreements")) {
            counts.put(category, 0L);
        }
    }

    /** The verdict on a run: its client log against its database snapshot. */
    public static Verdict check(List<AttemptRecord> attempts, DatabaseSnapshot db) {
        Objects.requireNonNull(attempts, "attempts");
        Objects.requireNonNull(db, "db");
        return new ConsistencyChecker().run(attempts, db);
    }

    /** What the client asked for and was told, for one order id. */
    private static final class Intent {
        final String orderId;
        final String sku;
        final int quantity;
        String firstFinal;
        boolean sawPending;
        boolean acknowledged;
        boolean toldConfirmed;
        final Set<String> finalsTold = new HashSet<>();

        Intent(AttemptRecord a) {
            this.orderId = a.orderId();
            this.sku = a.sku();
            this.quantity = a.quantity();
        }
    }

    private Verdict run(List<AttemptRecord> attempts, DatabaseSnapshot db) {
        Map<String, Intent> intents = intents(attempts);
        Map<String, OrderRow> orders = new HashMap<>();
        for (OrderRow order : db.orders()) {
            if (orders.putIfAbsent(order.orderId(), order) != null) {
                found("duplicated", order.orderId(), "the order database lists this order id twice");
            }
        }
        Map<String, ReservationRow> reservations = new HashMap<>();
        for (ReservationRow reservation : db.reservations()) {
            if (reservations.putIfAbsent(reservation.orderId(), reservation) != null) {
                found("duplicated", reservation.orderId(), "the inventory database lists this reservation id twice");
            }
        }

        for (Intent intent : intents.values()) {
            checkIntent(intent, orders.get(intent.orderId), reservations.get(intent.orderId));
        }
        for (OrderRow order : sorted(orders).values()) {
            if (!intents.containsKey(order.orderId())) {
                found(
                        "duplicated",
                        order.orderId(),
                        "an order no intent of the run asked for (" + order.quantity() + " x " + order.sku() + ")");
            }
            checkOrderAgainstReservation(order, reservations.get(order.orderId()));
            if ("PENDING".equals(order.status())) {
                found("pending", order.orderId(), "still PENDING after the wait for the reconciler");
            }
        }
        for (ReservationRow reservation : sorted(reservations).values()) {
            if (orders.containsKey(reservation.orderId()) || "CANCELLED".equals(reservation.status())) {
                continue;
            }
            if (intents.containsKey(reservation.orderId())) {
                if ("RESERVED".equals(reservation.status())) {
                    found(
                            "disagreements",
                            reservation.orderId(),
                            "inventory holds " + reservation.quantity() + " x " + reservation.sku()
                                    + " for an order the order database does not have");
                }
            } else {
                found(
                        "duplicated",
                        reservation.orderId(),
                        "a " + reservation.status() + " reservation (" + reservation.quantity() + " x "
                                + reservation.sku()
                                + ") under an id no order and no intent has: a reserve applied under another identity");
            }
        }
        checkStock(db, reservations);
        return new Verdict(
                intents.size(),
                attempts.size(),
                orders.size(),
                counts.get("lost"),
                counts.get("duplicated"),
                counts.get("oversold"),
                counts.get("unconserved"),
                counts.get("pending"),
                counts.get("disagreements"),
                outcomes(intents, attempts, orders),
                findings);
    }

    private static Map<String, Intent> intents(List<AttemptRecord> attempts) {
        Map<String, Intent> intents = new LinkedHashMap<>();
        // Answers in the order they arrived, so "the first final answer" means what the user saw first.
        List<AttemptRecord> byEnd = new ArrayList<>(attempts);
        byEnd.sort((a, b) -> Double.compare(a.endMs(), b.endMs()));
        for (AttemptRecord a : byEnd) {
            Intent intent = intents.computeIfAbsent(a.orderId(), id -> new Intent(a));
            if (!a.acknowledged()) {
                continue;
            }
            intent.acknowledged = true;
            String status = a.orderStatus();
            if ("PENDING".equals(status)) {
                intent.sawPending = true;
            } else if (FINAL.contains(status)) {
                intent.finalsTold.add(status);
                if (intent.firstFinal == null) {
                    intent.firstFinal = status;
                }
                if ("CONFIRMED".equals(status)) {
                    intent.toldConfirmed = true;
                }
            }
        }
        return intents;
    }

    private void checkIntent(Intent intent, OrderRow order, ReservationRow reservation) {
        if (order == null) {
            if (intent.acknowledged) {
                found(
                        "lost",
                        intent.orderId,
                        "the client was told " + told(intent) + ", but the order database has no such order");
            }
            return;
        }
        if (!Objects.equals(order.sku(), intent.sku) || order.quantity() != intent.quantity) {
            found(
                    "lost",
                    intent.orderId,
                    "the client asked for " + intent.quantity + " x " + intent.sku + ", but the order is "
                            + order.quantity() + " x " + order.sku());
            return;
        }
        if (intent.toldConfirmed) {
            if (!"CONFIRMED".equals(order.status())) {
                found("lost", intent.orderId, "the client was told CONFIRMED, but the order is now " + order.status());
            } else if (reservation == null || !"RESERVED".equals(reservation.status())) {
                found(
                        "lost",
                        intent.orderId,
                        "the client was told CONFIRMED, but inventory "
                                + (reservation == null
                                        ? "has no reservation for it"
                                        : "has it " + reservation.status()));
            }
        }
        for (String status : new java.util.TreeSet<>(intent.finalsTold)) {
            // A CONFIRMED the order no longer has is counted as lost above.
            if (!status.equals("CONFIRMED") && !status.equals(order.status())) {
                found(
                        "disagreements",
                        intent.orderId,
                        "the client was told " + status + ", but the order is " + order.status());
                break;
            }
        }
    }

    private void checkOrderAgainstReservation(OrderRow order, ReservationRow reservation) {
        boolean reserved = reservation != null && "RESERVED".equals(reservation.status());
        switch (order.status()) {
            case "CONFIRMED" -> {
                if (!reserved) {
                    found(
                            "disagreements",
                            order.orderId(),
                            "CONFIRMED, but inventory "
                                    + (reservation == null
                                            ? "has no reservation for it"
                                            : "has it " + reservation.status()));
                } else if (!Objects.equals(reservation.sku(), order.sku())
                        || reservation.quantity() != order.quantity()) {
                    found(
                            "disagreements",
                            order.orderId(),
                            "CONFIRMED for " + order.quantity() + " x " + order.sku() + ", but inventory reserved "
                                    + reservation.quantity() + " x " + reservation.sku());
                }
            }
            case "REJECTED", "FAILED" -> {
                if (reserved) {
                    found(
                            "disagreements",
                            order.orderId(),
                            order.status() + ", but inventory holds " + reservation.quantity() + " x "
                                    + reservation.sku() + " RESERVED for it");
                }
            }
            default -> {}
        }
    }

    private void checkStock(DatabaseSnapshot db, Map<String, ReservationRow> reservations) {
        Map<String, Long> runReserved = new TreeMap<>();
        for (ReservationRow r : reservations.values()) {
            if ("RESERVED".equals(r.status()) && r.sku() != null) {
                runReserved.merge(r.sku(), (long) r.quantity(), Long::sum);
            }
        }
        Map<String, StockRow> before = new TreeMap<>();
        db.stockBefore().forEach(s -> before.put(s.sku(), s));
        Map<String, StockRow> after = new TreeMap<>();
        db.stockAfter().forEach(s -> after.put(s.sku(), s));
        for (StockRow s : after.values()) {
            long held = runReserved.getOrDefault(s.sku(), 0L);
            StockRow b = before.get(s.sku());
            if (s.available() < 0 || s.reserved() > s.total()) {
                found(
                        "oversold",
                        s.sku(),
                        "available " + s.available() + ", reserved " + s.reserved() + " of a total of " + s.total());
            } else if (b != null && held > b.available()) {
                found(
                        "oversold",
                        s.sku(),
                        "the run's reservations hold " + held + ", but only " + b.available()
                                + " were available when it began");
            }
            if (s.total() != s.available() + s.reserved()) {
                found(
                        "unconserved",
                        s.sku(),
                        "total " + s.total() + " != available " + s.available() + " + reserved " + s.reserved());
            } else if (b != null && b.total() != s.total()) {
                found("unconserved", s.sku(), "the total changed from " + b.total() + " to " + s.total());
            } else if (b != null && b.available() - s.available() != held) {
                found(
                        "unconserved",
                        s.sku(),
                        "available fell by " + (b.available() - s.available()) + " during the run, but the run's "
                                + "RESERVED reservations hold " + held);
            }
        }
        for (StockRow b : before.values()) {
            if (!after.containsKey(b.sku())) {
                found("unconserved", b.sku(), "the SKU was stocked when the run began and is gone now");
            }
        }
    }

    private static Map<String, Long> outcomes(
            Map<String, Intent> intents, List<AttemptRecord> attempts, Map<String, OrderRow> orders) {
        Map<String, Long> outcomes = new LinkedHashMap<>();
        for (String key :
                List.of("confirmed", "rejected", "failed", "pendingThenSettled", "pendingUnresolved", "noAnswer")) {
            outcomes.put(key, 0L);
        }
        for (Intent intent : intents.values()) {
            String outcome;
            if (!intent.acknowledged) {
                outcome = "noAnswer";
            } else if (intent.sawPending) {
                outcome = intent.firstFinal != null ? "pendingThenSettled" : "pendingUnresolved";
            } else {
                outcome = intent.firstFinal == null ? "noAnswer" : intent.firstFinal.toLowerCase(java.util.Locale.ROOT);
            }
            outcomes.merge(outcome, 1L, Long::sum);
        }
        long errors = attempts.stream()
                .filter(a -> !a.acknowledged() && a.status() != 409)
                .count();
        long inProgress = attempts.stream().filter(a -> a.status() == 409).count();
        outcomes.put("errorAnswers", errors);
        outcomes.put("inProgressAnswers", inProgress);
        for (String status : List.of("CONFIRMED", "REJECTED", "FAILED", "PENDING")) {
            outcomes.put(
                    "orders" + status.charAt(0) + status.substring(1).toLowerCase(java.util.Locale.ROOT),
                    orders.values().stream()
                            .filter(o -> o.status().equals(status))
                            .count());
        }
        return outcomes;
    }

    private static String told(Intent intent) {
        return intent.firstFinal != null ? intent.firstFinal : "PENDING";
    }

    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return new TreeMap<>(map);
    }

    private void found(String category, String subject, String detail) {
        counts.merge(category, 1L, Long::sum);
        if (findings.stream().filter(f -> f.category().equals(category)).count() < MAX_FINDINGS_PER_CATEGORY) {
            findings.add(new Finding(category, subject, detail));
        }
    }
}
