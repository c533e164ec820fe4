package io.valerix.harness.link;

import io.valerix.harness.link.internal.LinkConnection;
import io.valerix.harness.link.internal.LinkState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on loopback that plays faults of the link to one upstream service: black hole,
 * reset, half-open, added latency and a bandwidth limit ({@link LinkFault}). The chaos harness
 * puts it between the order service and inventory, so the order service meets the network's
 * failures, not only inventory's slow or failing answers.
 *
 * <p>Faults are set directly ({@link #fault}, {@link #clear}) or played from a schedule ({@link
 * #play}). Every fault played is recorded ({@link #events}) for the report.
 *
 * <p>Thread-safe. Each connection runs on two virtual threads, one per direction.
 */
public final class LinkProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LinkProxy.class);

    private final InetSocketAddress upstream;
    private final ServerSocket listener;
    private final LinkState state = new LinkState();
    private final Thread acceptor;
    private volatile Thread player;

    private LinkProxy(ServerSocket listener, InetSocketAddress upstream) {
        this.listener = listener;
        this.upstream = upstream;
        this.acceptor = Thread.ofVirtual()
                .name("link-accept-" + listener.getLocalPort())
                .start(this::acceptLoop);
    }

    /** Starts a proxy to {@code upstream} on a free loopback port. */
    public static LinkProxy start(InetSocketAddress upstream) {
        return start(0, upstream);
    }

    /**
     * Starts a proxy to {@code upstream} on loopback port {@code port} (0 picks a free one).
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static LinkProxy start(int port, InetSocketAddress upstream) {
        Objects.requireNonNull(upstream, "upstream");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, but was " + port);
        }
        try {
            ServerSocket listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_024);
            return new LinkProxy(listener, upstream);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    /** The loopback port the proxy listens on. */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>}: the address to give a client instead of the upstream's. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** The service behind the proxy. */
    public InetSocketAddress upstream() {
        return upstream;
    }

    /** Starts playing {@code fault} now, ending the one before. */
    public void fault(LinkFault fault) {
        state.enter(Objects.requireNonNull(fault, "fault"));
    }

    /** Ends the fault being played; the link is healthy again. */
    public void clear() {
        state.enter(null);
    }

    /** The fault being played, if any. */
    public Optional<LinkFault> currentFault() {
        return Optional.ofNullable(state.current());
    }

    /** Every fault played so far, in order. */
    public List<LinkEvent> events() {
        return state.events();
    }

    /** Connections open through the proxy now. */
    public int openConnections() {
        return state.openConnections();
    }

    /**
     * Plays {@code windows} on a timeline that began at {@code startNanos} ({@link System#nanoTime}):
     * each window's fault begins at its start and ends at its end. Windows already over are skipped.
     *
     * @throws IllegalArgumentException if windows overlap
     * @throws IllegalStateException if a schedule is already playing
     */
    public synchronized void play(List<LinkWindow> windows, long startNanos) {
        List<LinkWindow> schedule = LinkWindow.schedule(windows);
        if (player != null && player.isAlive()) {
            throw new IllegalStateException("a link schedule is already playing");
        }
        player = Thread.ofVirtual().name("link-schedule-" + port()).start(() -> {
            try {
                for (LinkWindow window : schedule) {
                    if (System.nanoTime() - startNanos >= window.end().toNanos()) {
                        continue; // over before it could be played
                    }
                    waitUntil(startNanos + window.start().toNanos());
                    log.info(
                            "link to {}: {} for {} ms",
                            upstream,
                            window.fault(),
                            window.length().toMillis());
                    state.enter(window.fault());
                    waitUntil(startNanos + window.end().toNanos());
                    state.enter(null);
                    log.info("link to {}: healthy again", upstream);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static void waitUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    log.warn("link proxy on port {} stopped accepting: {}", port(), e.getMessage());
                }
                return;
            }
            LinkConnection connection = new LinkConnection(client, upstream, state);
            Thread.ofVirtual().name("link-conn-" + client.getPort()).start(connection::run);
        }
    }

    /** Stops listening, ends the schedule and closes every connection. */
    @Override
    public void close() {
        Thread playing = player;
        if (playing != null) {
            playing.interrupt();
        }
        try {
            listener.close();
        } catch (IOException e) {
            log.debug("closing the link proxy's listener: {}", e.getMessage());
        }
        acceptor.interrupt();
        state.closeAll();
    }
}
