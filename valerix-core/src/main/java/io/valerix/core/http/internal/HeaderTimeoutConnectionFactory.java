package io.valerix.core.http.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * HTTP/1.1 connections whose request headers must be complete within a fixed time of their first
 * byte, or the connection is closed.
 *
 * <p>Jetty's idle timeout restarts with every byte, so a client that trickles one header byte every
 * few seconds (slowloris) would hold its connection forever; its minimum data rate applies only to
 * bodies. This factory closes that gap: the timer starts at the request's first byte (Jetty's begin
 * time, the same instant the request's deadline counts from) and is cancelled once the headers are
 * parsed. An idle keep-alive connection between requests is governed by the idle timeout alone.
 */
public final class HeaderTimeoutConnectionFactory extends HttpConnectionFactory {

    private final long timeoutNanos;

    public HeaderTimeoutConnectionFactory(HttpConfiguration configuration, Duration headerReadTimeout) {
        super(configuration);
        this.timeoutNanos = headerReadTimeout.toNanos();
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        HttpConnection connection = new TimedConnection(getHttpConfiguration(), connector, endPoint);
        connection.setUseInputDirectByteBuffers(isUseInputDirectByteBuffers());
        connection.setUseOutputDirectByteBuffers(isUseOutputDirectByteBuffers());
        return configure(connection, connector, endPoint);
    }

    // An inner (not static) class on purpose: Jetty calls newHttpParser from HttpConnection's
    // constructor, before this subclass's own fields are set, but the outer instance is already there.
    private final class TimedConnection extends HttpConnection {

        TimedConnection(HttpConfiguration configuration, Connector connector, EndPoint endPoint) {
            super(configuration, connector, endPoint);
        }

        @Override
        protected HttpParser newHttpParser(HttpCompliance compliance) {
            HttpParser plain = super.newHttpParser(compliance);
            HttpConfiguration configuration = getHttpConfiguration();
            TimedParser parser = new TimedParser(
                    (HttpParser.RequestHandler) plain.getHandler(),
                    configuration.getRequestHeaderSize(),
                    compliance,
                    getConnector().getScheduler(),
                    getEndPoint());
            parser.setHeaderCacheSize(configuration.getHeaderCacheSize());
            parser.setHeaderCacheCaseSensitive(configuration.isHeaderCacheCaseSensitive());
            return parser;
        }
    }

    private final class TimedParser extends HttpParser {
        private final Scheduler scheduler;
        private final EndPoint endPoint;
        // Touched only on the thread that parses; the timer reads armedFor, which says which request
        // it was armed for, so a timer that fires just after the headers completed does nothing.
        private Scheduler.Task pending;
        private volatile long armedFor;
        private volatile boolean armed;

        TimedParser(
                HttpParser.RequestHandler handler,
                int maxHeaderBytes,
                HttpCompliance compliance,
                Scheduler scheduler,
                EndPoint endPoint) {
            super(handler, maxHeaderBytes, compliance);
            this.scheduler = scheduler;
            this.endPoint = endPoint;
        }

        @Override
        public boolean parseNext(ByteBuffer buffer) {
            boolean handle = super.parseNext(buffer);
            if (inHeaderState() && !isStart()) {
                if (pending == null) {
                    long begin = getBeginNanoTime();
                    armedFor = begin;
                    armed = true;
                    long delay = Math.max(0, timeoutNanos - NanoTime.since(begin));
                    pending = scheduler.schedule(() -> expire(begin), delay, TimeUnit.NANOSECONDS);
                }
            } else if (pending != null) {
                armed = false;
                pending.cancel();
                pending = null;
            }
            return handle;
        }

        private void expire(long begin) {
            // The parser's state is read off its thread: a stale read can only make this skip a close,
            // and the idle timeout still bounds that connection.
            if (armed && armedFor == begin && inHeaderState() && !isStart() && getBeginNanoTime() == begin) {
                endPoint.close(
                        new TimeoutException("request headers not complete within " + Duration.ofNanos(timeoutNanos)));
            }
        }
    }
}
