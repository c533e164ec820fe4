package io.valerix.core.gremlin.internal;

import io.valerix.core.gremlin.GremlinDecision;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@code capacity} decisions, by request number, in a fixed array so that a long chaos
 * run cannot grow memory.
 *
 * <p>Thread-safe and lock-free: request {@code n} goes to slot {@code n % capacity}; two threads
 * racing for one slot are settled by compare-and-set in favour of the higher request number, so
 * a slow thread cannot overwrite a newer decision with an older one.
 */
public final class RecentDecisions {

    private final AtomicReferenceArray<GremlinDecision> slots;

    public RecentDecisions(int capacity) {
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    /** Keeps {@code decision} if it is among the newest {@code capacity}. */
    public void add(GremlinDecision decision) {
        if (slots.length() == 0) {
            return;
        }
        int slot = (int) Math.floorMod(decision.request(), (long) slots.length());
        while (true) {
            GremlinDecision current = slots.get(slot);
            if (current != null && current.request() >= decision.request()) {
                return;
            }
            if (slots.compareAndSet(slot, current, decision)) {
                return;
            }
        }
    }

    /** The retained decisions, oldest first. */
    public List<GremlinDecision> snapshot() {
        List<GremlinDecision> all = new ArrayList<>(slots.length());
        for (int i = 0; i < slots.length(); i++) {
            GremlinDecision d = slots.get(i);
            if (d != null) {
                all.add(d);
            }
        }
        all.sort(Comparator.comparingLong(GremlinDecision::request));
        return List.copyOf(all);
    }
}
