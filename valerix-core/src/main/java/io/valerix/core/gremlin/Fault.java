package io.valerix.core.gremlin;

import io.valerix.core.gremlin.internal.Checks;
import io.valerix.core.gremlin.internal.DurationText;
import java.time.Duration;

/**
 * A fault the gremlin injects instead of (phase {@code before}) or on top of (phase {@code after})
 * the route handler's normal response.
 *
 * <p>What the server does for each fault:
 *
 * <ul>
 *   <li>{@link ErrorResponse} {@code error(503)}: answer with that 4xx/5xx status and an {@code
 *       application/problem+json} body;
 *   <li>{@link ConnectionReset} {@code reset}: close the connection without any response;
 *   <li>{@link NoResponse} {@code noresponse(30s)}: hold the request without answering until the
 *       client gives up, at most {@code bound}, then close the connection;
 *   <li>{@link SlowBody} {@code slowbody(5s)}: send the handler's response, but trickle its body
 *       out evenly over {@code duration}; it needs a response, so it only exists {@code after}.
 * </ul>
 *
 * <p>Instances are immutable records, validated on construction ({@link NullPointerException} for
 * null, {@link IllegalArgumentException} naming the field and the bad value), and thread-safe.
 */
public sealed interface Fault extends GremlinAction
        permits Fault.ErrorResponse, Fault.ConnectionReset, Fault.NoResponse, Fault.SlowBody {

    /** Answer with {@code status}, a 4xx or 5xx code. */
    static Fault error(int status) {
        return new ErrorResponse(status);
    }

    /** Close the connection without a response. */
    static Fault reset() {
        return new ConnectionReset();
    }

    /** Hold the request unanswered for at most {@code bound}, then close the connection. */
    static Fault noResponse(Duration bound) {
        return new NoResponse(bound);
    }

    /** Trickle the response body out over {@code duration}. */
    static Fault slowBody(Duration duration) {
        return new SlowBody(duration);
    }

    /** An HTTP error status in [400, 599], answered with a problem+json body. */
    record ErrorResponse(int status) implements Fault {
        public ErrorResponse {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("status must be a 4xx or 5xx code, but was " + status);
            }
        }

        @Override
        public String toText() {
            return "error(" + status + ")";
        }
    }

    /** The connection is closed with no response at all. */
    record ConnectionReset() implements Fault {
        @Override
        public String toText() {
            return "reset";
        }
    }

    /**
     * No answer; the connection is closed when the client gives up or after {@code bound > 0},
     * whichever comes first. The bound keeps a client without a timeout from holding a server
     * thread forever.
     */
    record NoResponse(Duration bound) implements Fault {
        public NoResponse {
            Checks.positive(bound, "bound");
        }

        @Override
        public String toText() {
            return "noresponse(" + DurationText.format(bound) + ")";
        }
    }

    /**
     * The response status and headers go out normally, then the body is spread evenly over {@code
     * duration > 0}. A total duration rather than a byte rate keeps the injected delay independent
     * of the body size, so a spec means the same thing for every route.
     */
    record SlowBody(Duration duration) implements Fault {
        public SlowBody {
            Checks.positive(duration, "duration");
        }

        @Override
        public String toText() {
            return "slowbody(" + DurationText.format(duration) + ")";
        }

        @Override
        public InjectionPhase defaultPhase() {
            return InjectionPhase.AFTER;
        }
    }
}
