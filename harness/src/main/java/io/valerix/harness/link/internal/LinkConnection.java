package io.valerix.harness.link.internal;

import io.valerix.harness.link.LinkFault;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection through the proxy and its upstream connection, with a pump per direction
 * that asks {@link LinkState} what to do with each chunk.
 */
public final class LinkConnection {

    private static final Logger log = LoggerFactory.getLogger(LinkConnection.class);
    private static final int CHUNK = 16 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final Socket client;
    private final InetSocketAddress upstreamAddress;
    private final LinkState state;
    private volatile Socket upstream;
    // Once cut half-open, the client side only swallows, and never hears of the upstream again.
    private volatile boolean halfOpen;
    private volatile boolean done;

    public LinkConnection(Socket client, InetSocketAddress upstreamAddress, LinkState state) {
        this.client = client;
        this.upstreamAddress = upstreamAddress;
        this.state = state;
    }

    /** Connects upstream as the link's fault allows, then pumps both ways until both ends close. */
    public void run() {
        state.opened(this);
        try {
            LinkFault fault = state.awaitPassable(); // a new connection into a black hole waits, unanswered
            if (fault != null && fault.kind() == LinkFault.Kind.RESET) {
                reset();
                return;
            }
            if (fault != null && fault.kind() == LinkFault.Kind.HALFOPEN || halfOpen) {
                halfOpen = true;
                swallowClient();
                return;
            }
            Socket connected = new Socket();
            connected.setTcpNoDelay(true);
            connected.connect(upstreamAddress, CONNECT_TIMEOUT_MILLIS);
            upstream = connected;
            client.setTcpNoDelay(true);
            if (done || halfOpen) {
                // A fault hit while we connected.
                closeQuietly(connected);
                if (halfOpen) {
                    swallowClient();
                }
                return;
            }
            Thread back = Thread.ofVirtual()
                    .name("link-down-" + client.getPort())
                    .start(() -> pump(connected, client, false));
            pump(client, connected, true);
            back.join();
        } catch (IOException e) {
            log.debug("link connection from port {}: {}", client.getPort(), e.getMessage());
            reset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reset();
        } finally {
            if (!halfOpen) {
                closeQuietly(client);
            }
            Socket up = upstream;
            if (up != null) {
                closeQuietly(up);
            }
            state.closed(this);
        }
    }

    private void pump(Socket from, Socket to, boolean towardsUpstream) {
        byte[] buffer = new byte[CHUNK];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                long arrivedNanos = System.nanoTime();
                if (halfOpen) {
                    if (towardsUpstream) {
                        swallowRest(in, buffer);
                    }
                    return;
                }
                LinkFault fault = state.awaitPassable();
                if (halfOpen || done) {
                    if (towardsUpstream && halfOpen) {
                        swallowRest(in, buffer);
                    }
                    return;
                }
                if (fault != null && fault.kind() == LinkFault.Kind.LATENCY) {
                    long wait;
                    while ((wait = arrivedNanos + fault.latency().toNanos() - System.nanoTime()) > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                if (fault != null && fault.kind() == LinkFault.Kind.BANDWIDTH) {
                    int slice = (int) Math.max(1, Math.min(CHUNK, fault.bytesPerSecond() / 20));
                    for (int offset = 0; offset < n; offset += slice) {
                        int length = Math.min(slice, n - offset);
                        state.pacer(towardsUpstream).acquire(length, fault.bytesPerSecond());
                        out.write(buffer, offset, length);
                        out.flush();
                    }
                } else {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
            // The sender closed its side: pass the FIN on, unless the link pretends the peer is gone.
            if (!halfOpen && !done && !to.isClosed()) {
                to.shutdownOutput();
            }
        } catch (IOException e) {
            if (!halfOpen && !done) {
                log.debug(
                        "link pump {} for port {} ended: {}",
                        towardsUpstream ? "up" : "down",
                        client.getPort(),
                        e.getMessage());
                reset();
            } else if (towardsUpstream && halfOpen) {
                swallowClient();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reset();
        }
    }

    /** Resets the client's connection (RST, not FIN) and closes the upstream one. True if it was open. */
    boolean reset() {
        if (done) {
            return false;
        }
        done = true;
        try {
            client.setSoLinger(true, 0);
        } catch (IOException e) {
            log.trace("linger on a closing socket: {}", e.getMessage());
        }
        closeQuietly(client);
        Socket up = upstream;
        if (up != null) {
            closeQuietly(up);
        }
        return true;
    }

    /** Closes the upstream side; the client side stays open and unanswered. True if it was open. */
    boolean cutHalfOpen() {
        if (done || halfOpen) {
            return false;
        }
        halfOpen = true;
        Socket up = upstream;
        if (up != null) {
            closeQuietly(up);
        }
        return true;
    }

    // Reads and drops what the client sends until it gives up, so its writes never block.
    private void swallowClient() {
        try {
            swallowRest(client.getInputStream(), new byte[CHUNK]);
        } catch (IOException e) {
            log.trace("half-open client gone: {}", e.getMessage());
        }
    }

    private void swallowRest(InputStream in, byte[] buffer) {
        try {
            while (!done && in.read(buffer) >= 0) {
                // dropped
            }
        } catch (IOException e) {
            log.trace("half-open client gone: {}", e.getMessage());
        } finally {
            closeQuietly(client);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            log.trace("closing a link socket: {}", e.getMessage());
        }
    }
}
