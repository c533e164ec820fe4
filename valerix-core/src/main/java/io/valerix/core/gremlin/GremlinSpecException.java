package io.valerix.core.gremlin;

/**
 * A gremlin spec, in text or JSON form, is invalid; the message says what is wrong and where.
 *
 * <p>For the text form the message names the character offset and the offending token, e.g.
 * {@code unknown action 'unifrom' at offset 0 in "unifrom(0ms,5s)"}; for the JSON form it names
 * the JSON path, e.g. {@code negative duration '-5ms' at rules[0].action.min}. A bad spec is
 * never replaced by a default.
 *
 * <p>Immutable and thread-safe.
 */
public final class GremlinSpecException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String problem;
    private final int offset;
    private final String jsonPath;

    private GremlinSpecException(String message, String problem, int offset, String jsonPath) {
        super(message);
        this.problem = problem;
        this.offset = offset;
        this.jsonPath = jsonPath;
    }

    /** A problem at character {@code offset} of the text spec {@code input}. */
    public static GremlinSpecException inText(String problem, String input, int offset) {
        return new GremlinSpecException(
                problem + " at offset " + offset + " in \"" + input + "\"", problem, offset, null);
    }

    /**
     * A problem at {@code jsonPath} (like {@code rules[0].action.min}) of a JSON spec; an empty
     * path means the document itself.
     */
    public static GremlinSpecException inJson(String problem, String jsonPath) {
        String where = jsonPath.isEmpty() ? " in the JSON spec" : " at " + jsonPath;
        return new GremlinSpecException(problem + where, problem, -1, jsonPath);
    }

    /** What is wrong, without the location. */
    public String problem() {
        return problem;
    }

    /** The character offset in the text spec, or -1 for a JSON spec. */
    public int offset() {
        return offset;
    }

    /** The JSON path of the problem, or {@code null} for a text spec. */
    public String jsonPath() {
        return jsonPath;
    }
}
