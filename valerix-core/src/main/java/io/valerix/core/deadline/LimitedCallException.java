package io.valerix.core.deadline;

/** Carries a checked exception thrown by a {@link LimitedCall} that finished before its deadline. */
public class LimitedCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LimitedCallException(Throwable cause) {
        super(cause.toString(), cause);
    }
}
