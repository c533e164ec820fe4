package io.valerix.core.gremlin.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;

/**
 * Buffers a response body, then on close trickles it out in small flushed pieces spread evenly
 * over a duration: a slow network, not a slow server.
 */
public final class PacedOutputStream extends OutputStream {

    private static final int PIECES = 20;

    private final OutputStream out;
    private final Duration duration;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private boolean closed;

    public PacedOutputStream(OutputStream out, Duration duration) {
        this.out = out;
        this.duration = duration;
    }

    @Override
    public void write(int b) {
        buffer.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        buffer.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        byte[] body = buffer.toByteArray();
        int pieces = Math.max(1, Math.min(PIECES, body.length));
        long pauseNanos = duration.toNanos() / pieces;
        int size = (body.length + pieces - 1) / Math.max(1, pieces);
        try {
            for (int offset = 0; offset < body.length; offset += size) {
                out.write(body, offset, Math.min(size, body.length - offset));
                out.flush();
                Thread.sleep(Duration.ofNanos(pauseNanos));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("slow body interrupted");
        } finally {
            out.close();
        }
    }
}
