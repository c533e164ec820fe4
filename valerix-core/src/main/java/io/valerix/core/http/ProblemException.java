package io.valerix.core.http;

import java.util.Objects;

/**
 * Thrown by a handler or filter to answer with a problem; the server turns it into an
 * {@code application/problem+json} reply. Its message is the problem's detail, which clients
 * see, so it must not hold internals.
 */
public class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Problem problem;
    private final String retryAfterSeconds;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    /** A problem answered with a {@code Retry-After} header, in whole seconds. */
    public ProblemException(Problem problem, String retryAfterSeconds) {
        super(Objects.requireNonNull(problem, "problem").toString(), null, false, false);
        this.problem = problem;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Problem problem() {
        return problem;
    }

    /** The {@code Retry-After} value to send, or null. */
    public String retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
