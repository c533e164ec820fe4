package io.valerix.core.http.internal;

import io.valerix.core.http.ProblemException;
import io.valerix.core.http.ProblemType;
import io.valerix.core.time.NanoClock;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body on the request's (virtual) thread, within a size limit and a minimum data
 * rate.
 *
 * <p>The rate is enforced here rather than by Jetty because Jetty checks a rate only when bytes
 * arrive; a body that stops (a Content-Length longer than what is sent) would otherwise wait for
 * the idle timeout. Here every wait for more bytes is bounded by what the rate still allows: after
 * {@code n} bytes, the body must be complete or growing by {@code GRACE + n / rate} since reading
 * began. The grace lets a small body that crosses a slow network in a few packets through.
 */
final class RequestBodyReader {

    /** How long any body may take before the rate applies; a small JSON body needs far less. */
    static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What reading gave: the bytes, or the problem to answer (after which the connection closes). */
    record Body(byte[] bytes, ProblemException problem, boolean clientGone) {
        static final Body EMPTY = new Body(new byte[0], null, false);

        boolean complete() {
            return problem == null && !clientGone;
        }
    }

    private final long maxBytes;
    private final long minBytesPerSecond;
    private final NanoClock clock;

    RequestBodyReader(long maxBytes, long minBytesPerSecond, NanoClock clock) {
        this.maxBytes = maxBytes;
        this.minBytesPerSecond = minBytesPerSecond;
        this.clock = clock;
    }

    Body read(Request request) {
        long declared = request.getLength();
        if (declared > maxBytes) {
            // Refused before a byte is read; the connection closes after the answer, so the unread
            // body cannot be mistaken for the next request.
            return new Body(new byte[0], tooLarge(), false);
        }
        if (declared == 0) {
            return Body.EMPTY;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 512);
        long start = clock.nanoTime();
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                long allowed =
                        GRACE_NANOS + out.size() * 1_000_000_000L / minBytesPerSecond - (clock.nanoTime() - start);
                if (allowed <= 0 || !awaitMore(request, allowed)) {
                    return new Body(new byte[0], tooSlow(out.size()), false);
                }
                continue;
            }
            if (Content.Chunk.isFailure(chunk)) {
                return failed(chunk.getFailure());
            }
            try {
                ByteBuffer bytes = chunk.getByteBuffer();
                if (out.size() + (long) bytes.remaining() > maxBytes) {
                    return new Body(new byte[0], tooLarge(), false);
                }
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                out.write(copy, 0, copy.length);
            } finally {
                chunk.release();
            }
            if (chunk.isLast()) {
                return new Body(out.toByteArray(), null, false);
            }
        }
    }

    private static boolean awaitMore(Request request, long nanos) {
        CountDownLatch more = new CountDownLatch(1);
        // If the wait times out, the demand still fires later and counts down a latch nobody reads.
        request.demand(more::countDown);
        try {
            return more.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Body failed(Throwable failure) {
        HttpException http = failure instanceof HttpException h ? h : null;
        if (http != null && http.getCode() == 408 || failure instanceof TimeoutException) {
            return new Body(
                    new byte[0],
                    ProblemType.REQUEST_TIMEOUT.exception("the request body did not arrive in time"),
                    false);
        }
        if (http != null) {
            ProblemType type = ProblemErrorHandler.typeFor(http.getCode());
            String reason = http.getReason() == null ? "" : ": " + http.getReason();
            return new Body(new byte[0], type.exception("the request body is not valid HTTP/1.1" + reason), false);
        }
        // The client closed or reset the connection: nobody is left to answer.
        return new Body(new byte[0], null, true);
    }

    private ProblemException tooLarge() {
        return ProblemType.PAYLOAD_TOO_LARGE.exception("the body is larger than the limit of " + maxBytes + " bytes");
    }

    private ProblemException tooSlow(long received) {
        return ProblemType.REQUEST_TIMEOUT.exception("the request body arrived slower than " + minBytesPerSecond
                + " bytes/s (" + received + " bytes received)");
    }
}
