package io.valerix.harness.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code kill -9} during a chaos run and how the service recovered, as the client saw it. Times
 * are milliseconds since the run started, on the client log's clock; durations are counted from
 * the kill. Immutable.
 *
 * <p><b>Time to recover</b> is from the kill to the later of two moments: the first <em>new</em>
 * order through the killed service that was settled at once (CONFIRMED or REJECTED: the order
 * service and inventory both answered), and the first acknowledged replay of a key that was in
 * flight at the kill (a key whose claim the dead process may still hold: until it is released, its
 * replays get 409). A null means that moment never came before the run ended.
 *
 * @param service {@code order} or {@code inventory}
 * @param instanceId the process killed: {@code inventory}, {@code order-1}, …
 * @param killedMs when SIGKILL was sent
 * @param servingMs when the restarted process announced that it serves again
 * @param firstOrderMs the end of the first new order settled at once through the service after the
 *     kill (for an order instance: sent to that instance), or null
 * @param keysInFlight how many keys had a request in flight through the service at the kill
 * @param firstReplayMs the end of the first acknowledged request, sent after the kill, for one of
 *     those keys, or null
 * @param lastReplayMs the end of the last such first acknowledgement (every replayed key answered),
 *     or null
 * @param recoverMs the time to recover (see above), or null if it did not recover within the run
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KillEvent(
        String service,
        String instanceId,
        double killedMs,
        double servingMs,
        Double firstOrderMs,
        int keysInFlight,
        Double firstReplayMs,
        Double lastReplayMs,
        Double recoverMs) {

    /**
     * Measures a kill's recovery from the client log.
     *
     * @param attempts every request of the run (a single-instance run has no instance on them)
     */
    public static KillEvent measure(
            String service, String instanceId, double killedMs, double servingMs, List<AttemptRecord> attempts) {
        boolean order = service.equals("order");
        Double firstOrder = null;
        Set<String> inFlight = new HashSet<>();
        for (AttemptRecord a : attempts) {
            boolean through = !order || a.instance() == null || a.instance().equals(instanceId);
            if (!through) {
                continue;
            }
            if (a.sentMs() <= killedMs && a.endMs() >= killedMs) {
                inFlight.add(a.orderId());
            }
            if (a.sentMs() > killedMs
                    && AttemptRecord.FIRST.equals(a.kind())
                    && a.acknowledged()
                    && ("CONFIRMED".equals(a.orderStatus()) || "REJECTED".equals(a.orderStatus()))) {
                firstOrder = firstOrder == null ? a.endMs() : Math.min(firstOrder, a.endMs());
            }
        }
        Double firstReplay = null;
        Double lastReplay = null;
        Set<String> answered = new HashSet<>();
        // The first acknowledgement of each in-flight key after the kill, through any instance: a
        // client's retry may land anywhere.
        List<AttemptRecord> byEnd = attempts.stream()
                .filter(a -> inFlight.contains(a.orderId()) && a.sentMs() > killedMs && a.acknowledged())
                .sorted(java.util.Comparator.comparingDouble(AttemptRecord::endMs))
                .toList();
        for (AttemptRecord a : byEnd) {
            if (answered.add(a.orderId())) {
                firstReplay = firstReplay == null ? a.endMs() : firstReplay;
                lastReplay = a.endMs();
            }
        }
        Double recover = null;
        if (firstOrder != null && (inFlight.isEmpty() || firstReplay != null)) {
            double recovered = inFlight.isEmpty() ? firstOrder : Math.max(firstOrder, firstReplay);
            recover = round(recovered - killedMs);
        }
        return new KillEvent(
                service,
                instanceId,
                round(killedMs),
                round(servingMs),
                firstOrder == null ? null : round(firstOrder),
                inFlight.size(),
                firstReplay == null ? null : round(firstReplay),
                lastReplay == null ? null : round(lastReplay),
                recover);
    }

    private static double round(double ms) {
        return Math.round(ms * 10) / 10.0;
    }
}
