package io.valerix.core.gremlin;

import io.valerix.core.gremlin.internal.SpecJson;
import io.valerix.core.gremlin.internal.SpecTextParser;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a {@link Gremlin} injects: an ordered, non-empty list of {@link GremlinRule}s.
 *
 * <h2>How rules combine, for one request</h2>
 *
 * <ol>
 *   <li>A rule <em>applies</em> when its route matches the request. Each applying rule rolls its
 *       own probability, independently of the others: it <em>fires</em> when its uniform number
 *       for this request is below {@code p}.
 *   <li>The delays of all firing latency rules of a phase add up.
 *   <li>Of the firing faults, the first in rule order wins; later ones are not injected.
 *   <li>A fault that wins {@code before} the handler means the handler never runs, so nothing of
 *       the {@code after} phase is injected.
 *   <li>Within a phase the delay comes first, then the fault: {@code fixed(2s); error(503)} is a
 *       503 that takes two seconds.
 *   <li>{@code none} rules inject nothing.
 * </ol>
 *
 * <h2>Text form</h2>
 *
 * Rules are joined by {@code ;}. Each rule is an action followed by options in any order:
 *
 * <pre>
 * spec     = rule *( ";" rule )
 * rule     = action *( option )
 * action   = "none" | "reset"
 *          | "fixed(" DURATION ")" | "uniform(" DURATION "," DURATION ")"
 *          | "normal(" DURATION "," DURATION ")" | "lognormal(" DURATION "," NUMBER ")"
 *          | "pareto(" DURATION "," NUMBER [ "," DURATION ] ")"
 *          | "error(" STATUS ")" | "noresponse(" DURATION ")" | "slowbody(" DURATION ")"
 * option   = "before" | "after" | "p=" NUMBER | "route=" '"' METHOD " " PATTERN '"'
 * DURATION = "0" | DIGITS [ "." DIGITS ] ( "ns" | "us" | "ms" | "s" | "m" | "h" )
 * NUMBER   = DIGITS [ "." DIGITS ]
 * </pre>
 *
 * For example {@code uniform(0ms,5s) after p=0.5 route="PUT /reservations/*"; error(503) p=0.1}.
 * Whitespace between tokens is free. See {@link LatencyDistribution}, {@link Fault}, {@link
 * GremlinRule} (defaults) and {@link Route} (patterns) for the meaning of each part.
 *
 * <h2>JSON form</h2>
 *
 * {@code {"rules":[{"action":{"type":"uniform","min":"0ms","max":"5s"},"phase":"after",
 * "probability":0.5,"route":"PUT /reservations/*"}]}}; {@code phase}, {@code probability} and
 * {@code route} may be left out for their defaults; durations are strings in the text syntax.
 * Unknown fields are errors. {@code docs/gremlin.md} lists every action's fields.
 *
 * <p>Immutable and thread-safe. Both parsers throw {@link GremlinSpecException} with the problem
 * and its location; {@code parse(s.toText())} and {@code fromJson(s.toJson())} equal {@code s}.
 *
 * @param rules the rules, in order; never empty
 */
public record GremlinSpec(List<GremlinRule> rules) {

    private static final GremlinSpec NONE = new GremlinSpec(List.of(GremlinRule.of(GremlinAction.none())));

    /**
     * @throws NullPointerException if {@code rules} or one of them is null
     * @throws IllegalArgumentException if {@code rules} is empty
     */
    public GremlinSpec {
        rules = List.copyOf(Objects.requireNonNull(rules, "rules"));
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("rules must not be empty; use the single rule 'none' for no injection");
        }
    }

    /** A spec of {@code rules}, in order. */
    public static GremlinSpec of(GremlinRule... rules) {
        return new GremlinSpec(List.of(rules));
    }

    /** The spec that injects nothing, {@code none}. */
    public static GremlinSpec none() {
        return NONE;
    }

    /**
     * Parses the text form described above.
     *
     * @throws GremlinSpecException naming the problem, the character offset and the token
     */
    public static GremlinSpec parse(String text) {
        Objects.requireNonNull(text, "text");
        return new SpecTextParser(text).parse();
    }

    /**
     * Reads the JSON form described above.
     *
     * @throws GremlinSpecException naming the problem and its JSON path
     */
    public static GremlinSpec fromJson(String json) {
        Objects.requireNonNull(json, "json");
        return SpecJson.readSpec(json);
    }

    /** The text form: rules joined by {@code "; "}, each without its defaults. */
    public String toText() {
        return rules.stream().map(GremlinRule::toText).collect(Collectors.joining("; "));
    }

    /** The JSON form, with every field of every rule written out except an {@code any} route. */
    public String toJson() {
        return SpecJson.writeSpec(this);
    }

    /** Whether no rule can ever inject anything. */
    public boolean injectsNothing() {
        return rules.stream().allMatch(r -> r.action() instanceof GremlinAction.None || r.probability() == 0);
    }

    /** The text form. */
    @Override
    public String toString() {
        return toText();
    }
}
