package io.valerix.core.http;

import io.valerix.core.retry.TransientFailure;
import java.net.URI;
import java.util.Objects;

/**
 * A remote service answered with an error status. Carries the status and, when the body was
 * {@code application/problem+json}, its {@code type}, title and detail; for any other error body,
 * the type is {@code about:blank} and the detail is the start of the body.
 */
public class RemoteProblemException extends RuntimeException implements TransientFailure {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Problem problem;
    private final String retryAfter;

    public RemoteProblemException(String route, int status, Problem problem, String retryAfter) {
        super(route + " answered " + status + " "
                + Objects.requireNonNull(problem, "problem").type()
                + (problem.detail() == null ? "" : ": " + problem.detail()));
        this.status = status;
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    /** The problem {@code type}. */
    public URI type() {
        return problem.type();
    }

    /** True if the problem is of {@code type}. */
    public boolean is(ProblemType type) {
        return problem.type().equals(type.type());
    }

    public String detail() {
        return problem.detail();
    }

    public Problem problem() {
        return problem;
    }

    /** The {@code Retry-After} header, or null. */
    public String retryAfter() {
        return retryAfter;
    }

    /**
     * HTTP's rule for a problem answer: transient if the server said so by its status, 429 (too many
     * requests), 502 (bad gateway), 503 (unavailable, overloaded) or 504 (gateway timeout). Any
     * other status is the server's considered answer, the same on every try.
     */
    @Override
    public boolean isTransient() {
        int status = status();
        return status == 429 || status == 502 || status == 503 || status == 504;
    }
}
