package io.valerix.core.gremlin;

/**
 * When an injection happens relative to the route handler.
 *
 * <p>{@link #BEFORE}: the handler has not run; a delay postpones it, a fault replaces it, so the
 * client's view ("it failed, nothing happened") is true. {@link #AFTER}: the handler has done and
 * committed its work; a delay postpones the response, a fault replaces or loses it, so a client
 * that gives up believes a failure that did not happen. That second case is the one distributed
 * systems get wrong, which is why it has to be asked for by name.
 *
 * <p>Immutable and thread-safe.
 */
public enum InjectionPhase {
    /** Before the route handler runs. */
    BEFORE("before"),
    /** After the route handler has run and committed, before the response reaches the client. */
    AFTER("after");

    private final String text;

    InjectionPhase(String text) {
        this.text = text;
    }

    /** The lower-case word used in the text and JSON forms: {@code before} or {@code after}. */
    public String text() {
        return text;
    }

    /**
     * The phase named by {@code text}.
     *
     * @throws IllegalArgumentException if {@code text} is neither {@code before} nor {@code after}
     */
    public static InjectionPhase fromText(String text) {
        for (InjectionPhase phase : values()) {
            if (phase.text.equals(text)) {
                return phase;
            }
        }
        throw new IllegalArgumentException("unknown phase '" + text + "' (expected 'before' or 'after')");
    }
}
