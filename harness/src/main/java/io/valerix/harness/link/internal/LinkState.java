package io.valerix.harness.link.internal;

import io.valerix.harness.link.LinkEvent;
import io.valerix.harness.link.LinkFault;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The link's fault now, the connections through it, and the faults played so far. Connections ask
 * it what to do with each chunk; entering a fault acts on the connections already open.
 */
public final class LinkState {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Set<LinkConnection> open = ConcurrentHashMap.newKeySet();
    private final List<LinkEvent> events = new ArrayList<>();
    private final BandwidthPacer upstreamPacer = new BandwidthPacer();
    private final BandwidthPacer downstreamPacer = new BandwidthPacer();
    private volatile LinkFault current;

    public LinkFault current() {
        return current;
    }

    /** Starts playing {@code fault} ({@code null}: healthy), ending the one before. */
    public void enter(LinkFault fault) {
        lock.lock();
        try {
            Instant now = Instant.now();
            if (!events.isEmpty() && events.getLast().ended().isEmpty()) {
                LinkEvent last = events.removeLast();
                events.add(new LinkEvent(last.fault(), last.began(), Optional.of(now), last.connectionsHit()));
            }
            current = fault;
            int hit = 0;
            if (fault != null && (fault.kind() == LinkFault.Kind.RESET || fault.kind() == LinkFault.Kind.HALFOPEN)) {
                for (LinkConnection connection : open) {
                    if (fault.kind() == LinkFault.Kind.RESET ? connection.reset() : connection.cutHalfOpen()) {
                        hit++;
                    }
                }
            }
            if (fault != null) {
                events.add(new LinkEvent(fault, now, Optional.empty(), hit));
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public List<LinkEvent> events() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits while the link is a black hole, then answers the fault to play on the chunk, if any.
     *
     * @throws InterruptedException if the connection is being closed
     */
    LinkFault awaitPassable() throws InterruptedException {
        lock.lock();
        try {
            LinkFault fault;
            while ((fault = current) != null && fault.kind() == LinkFault.Kind.BLACKHOLE) {
                changed.await(1, TimeUnit.SECONDS); // re-checked on every change; the bound only guards a lost wake-up
            }
            return fault;
        } finally {
            lock.unlock();
        }
    }

    BandwidthPacer pacer(boolean towardsUpstream) {
        return towardsUpstream ? upstreamPacer : downstreamPacer;
    }

    void opened(LinkConnection connection) {
        open.add(connection);
    }

    void closed(LinkConnection connection) {
        open.remove(connection);
    }

    public int openConnections() {
        return open.size();
    }

    public void closeAll() {
        for (LinkConnection connection : open) {
            connection.reset();
        }
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
