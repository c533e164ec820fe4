package io.valerix.core.health;

import java.util.Objects;

/**
 * How a request ended, as a metrics label: an HTTP status ({@code "200"}) or, where no status
 * exists, {@code ok}, {@code error} or {@code timeout}.
 *
 * <p>An outcome is an <em>error</em> when the service failed to answer properly: a 5xx status,
 * a transport {@link #ERROR} or a {@link #TIMEOUT}. A 4xx is not an error here: the caller sent
 * something the service rightly refused (a 409 for a stock conflict is a correct answer).
 *
 * <p>Immutable and thread-safe; {@link #status(int)} returns cached instances so the hot path
 * does not allocate.
 */
public final class Outcome {

    /** The call completed without an HTTP status to report (for example an in-process call). */
    public static final Outcome OK = new Outcome("ok", false);
    /** The call failed without a status: connection refused or reset, unreadable response. */
    public static final Outcome ERROR = new Outcome("error", true);
    /** The call ran out of time (its deadline passed) and was cancelled. */
    public static final Outcome TIMEOUT = new Outcome("timeout", true);

    private static final Outcome[] STATUSES = new Outcome[500];

    static {
        for (int code = 100; code < 600; code++) {
            STATUSES[code - 100] = new Outcome(Integer.toString(code), code >= 500);
        }
    }

    private final String label;
    private final boolean error;

    private Outcome(String label, boolean error) {
        this.label = label;
        this.error = error;
    }

    /**
     * The outcome of an HTTP exchange that ended with {@code code}.
     *
     * @throws IllegalArgumentException if {@code code} is not in [100, 599]
     */
    public static Outcome status(int code) {
        if (code < 100 || code > 599) {
            throw new IllegalArgumentException("status must be in [100, 599], but was " + code);
        }
        return STATUSES[code - 100];
    }

    /** The label value: the status code as text, or {@code ok}, {@code error}, {@code timeout}. */
    public String label() {
        return label;
    }

    /** Whether this outcome counts towards the error rate. */
    public boolean isError() {
        return error;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Outcome other && label.equals(other.label);
    }

    @Override
    public int hashCode() {
        return label.hashCode();
    }

    @Override
    public String toString() {
        return label;
    }

    static Outcome requireNonNull(Outcome outcome) {
        return Objects.requireNonNull(outcome, "outcome");
    }
}
