package io.valerix.core.gremlin.internal;

import io.valerix.core.gremlin.Fault;
import io.valerix.core.gremlin.GremlinAction;
import io.valerix.core.gremlin.GremlinRule;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.gremlin.GremlinSpecException;
import io.valerix.core.gremlin.InjectionPhase;
import io.valerix.core.gremlin.LatencyDistribution;
import io.valerix.core.gremlin.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A recursive-descent parser for the text form documented on {@link GremlinSpec}; every error
 * carries the offset of the token it is about.
 *
 * <p>Not thread-safe: one instance parses one string, once.
 */
public final class SpecTextParser {

    private static final String ACTIONS =
            "none, fixed, uniform, normal, lognormal, pareto, error, reset, noresponse, slowbody";
    private static final String OPTIONS = "'before', 'after', 'p=<probability>' or 'route=\"<METHOD> /<path>\"'";

    private final String input;
    private int pos;

    public SpecTextParser(String input) {
        this.input = input;
    }

    /** Parses the whole input. */
    public GremlinSpec parse() {
        skipSpaces();
        if (atEnd()) {
            throw error("empty spec; use 'none' for no injection", pos);
        }
        List<GremlinRule> rules = new ArrayList<>();
        while (true) {
            rules.add(rule());
            skipSpaces();
            if (atEnd()) {
                return new GremlinSpec(rules);
            }
            if (peek() != ';') {
                throw error("unexpected " + describe(pos) + " after a rule; rules are separated by ';'", pos);
            }
            pos++;
            skipSpaces();
            if (atEnd() || peek() == ';') {
                throw error("empty rule after ';'", pos);
            }
        }
    }

    private GremlinRule rule() {
        int actionAt = pos;
        GremlinAction action = action();
        InjectionPhase phase = null;
        Double probability = null;
        Route route = null;
        while (true) {
            skipSpaces();
            if (atEnd() || peek() == ';') {
                break;
            }
            int optionAt = pos;
            String word = word();
            if (word.isEmpty()) {
                throw error("unexpected " + describe(pos) + "; expected " + OPTIONS, pos);
            }
            switch (word) {
                case "before", "after" -> {
                    if (phase != null) {
                        throw error("phase given twice ('" + word + "')", optionAt);
                    }
                    phase = InjectionPhase.fromText(word);
                }
                case "p" -> {
                    if (probability != null) {
                        throw error("probability given twice", optionAt);
                    }
                    expect('=', "after 'p'");
                    int valueAt = pos;
                    probability = value("probability", text -> NumberText.parseDecimal(text, "probability"));
                    if (probability > 1) {
                        throw error("probability must be in [0, 1], but was " + input.substring(valueAt, pos), valueAt);
                    }
                }
                case "route" -> {
                    if (route != null) {
                        throw error("route given twice", optionAt);
                    }
                    expect('=', "after 'route'");
                    route = quotedRoute();
                }
                default -> throw error("unknown phase or option '" + word + "'; expected " + OPTIONS, optionAt);
            }
        }
        try {
            GremlinRule rule = GremlinRule.of(action);
            rule = phase == null ? rule : rule.withPhase(phase);
            rule = probability == null ? rule : rule.withProbability(probability);
            return route == null ? rule : rule.withRoute(route);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage(), actionAt);
        }
    }

    private GremlinAction action() {
        int at = pos;
        String name = word();
        if (name.isEmpty()) {
            throw error("expected an action (" + ACTIONS + ") but found " + describe(pos), pos);
        }
        return switch (name) {
            case "none" -> noArguments(name, at, GremlinAction.none());
            case "reset" -> noArguments(name, at, Fault.reset());
            case "fixed" -> {
                List<Argument> args = arguments(name, at, 1, 1);
                yield build(at, () -> LatencyDistribution.fixed(args.get(0).duration()));
            }
            case "uniform" -> {
                List<Argument> args = arguments(name, at, 2, 2);
                Duration min = args.get(0).duration();
                Duration max = args.get(1).duration();
                yield build(at, () -> LatencyDistribution.uniform(min, max));
            }
            case "normal" -> {
                List<Argument> args = arguments(name, at, 2, 2);
                Duration mean = args.get(0).duration();
                Duration stddev = args.get(1).duration();
                yield build(at, () -> LatencyDistribution.normal(mean, stddev));
            }
            case "lognormal" -> {
                List<Argument> args = arguments(name, at, 2, 2);
                Duration median = args.get(0).duration();
                double sigma = args.get(1).number("sigma");
                yield build(at, () -> LatencyDistribution.logNormal(median, sigma));
            }
            case "pareto" -> {
                List<Argument> args = arguments(name, at, 2, 3);
                Duration scale = args.get(0).duration();
                double shape = args.get(1).number("shape");
                Duration cap = args.size() == 3 ? args.get(2).duration() : LatencyDistribution.DEFAULT_PARETO_CAP;
                yield build(at, () -> LatencyDistribution.pareto(scale, shape, cap));
            }
            case "error" -> {
                List<Argument> args = arguments(name, at, 1, 1);
                yield build(at, () -> Fault.error(args.get(0).integer("status")));
            }
            case "noresponse" -> {
                List<Argument> args = arguments(name, at, 1, 1);
                yield build(at, () -> Fault.noResponse(args.get(0).duration()));
            }
            case "slowbody" -> {
                List<Argument> args = arguments(name, at, 1, 1);
                yield build(at, () -> Fault.slowBody(args.get(0).duration()));
            }
            default -> throw error("unknown action '" + name + "' (expected one of " + ACTIONS + ")", at);
        };
    }

    private GremlinAction noArguments(String name, int at, GremlinAction action) {
        skipSpaces();
        if (!atEnd() && peek() == '(') {
            throw error("'" + name + "' takes no arguments", pos);
        }
        return action;
    }

    /** Reads {@code ( arg , arg )}, checking the count. */
    private List<Argument> arguments(String name, int at, int min, int max) {
        skipSpaces();
        if (atEnd() || peek() != '(') {
            throw error("missing '(' after '" + name + "', found " + describe(pos), pos);
        }
        int open = pos++;
        List<Argument> args = new ArrayList<>();
        while (true) {
            skipSpaces();
            int argAt = pos;
            while (!atEnd() && isArgumentChar(peek())) {
                pos++;
            }
            String text = input.substring(argAt, pos);
            if (text.isEmpty()) {
                throw error("missing argument of '" + name + "', found " + describe(pos), pos);
            }
            args.add(new Argument(text, argAt));
            skipSpaces();
            if (atEnd()) {
                throw error("missing ')' to close '(' of '" + name + "'", open);
            }
            char c = peek();
            pos++;
            if (c == ')') {
                break;
            }
            if (c != ',') {
                throw error("unexpected " + describe(pos - 1) + " in the arguments of '" + name + "'", pos - 1);
            }
        }
        if (args.size() < min || args.size() > max) {
            String expected = min == max ? String.valueOf(min) : min + " or " + max;
            throw error(
                    "'" + name + "' takes " + expected + " argument" + (max == 1 ? "" : "s") + ", but got "
                            + args.size(),
                    at);
        }
        return args;
    }

    private Route quotedRoute() {
        if (atEnd() || peek() != '"') {
            throw error("route must be in double quotes, like route=\"PUT /r/*\", found " + describe(pos), pos);
        }
        int open = pos++;
        int close = input.indexOf('"', pos);
        if (close < 0) {
            throw error("missing closing '\"' of the route", open);
        }
        String text = input.substring(pos, close);
        pos = close + 1;
        try {
            return Route.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage(), open + 1);
        }
    }

    private <T> T value(String what, Function<String, T> parser) {
        int at = pos;
        while (!atEnd() && isArgumentChar(peek())) {
            pos++;
        }
        String text = input.substring(at, pos);
        if (text.isEmpty()) {
            throw error("missing " + what + ", found " + describe(at), at);
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage(), at);
        }
    }

    /** Runs a value type's validation, reporting its complaint at the action's offset. */
    private GremlinAction build(int at, Supplier<GremlinAction> factory) {
        try {
            return factory.get();
        } catch (GremlinSpecException e) {
            throw e; // an argument's own error, already at the argument's offset
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage(), at);
        }
    }

    private void expect(char c, String where) {
        skipSpaces();
        if (atEnd() || peek() != c) {
            throw error("expected '" + c + "' " + where + ", found " + describe(pos), pos);
        }
        pos++;
        skipSpaces();
    }

    private String word() {
        int at = pos;
        while (!atEnd() && Character.isLetter(peek())) {
            pos++;
        }
        return input.substring(at, pos);
    }

    private static boolean isArgumentChar(char c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '+' || c == '_';
    }

    private void skipSpaces() {
        while (!atEnd() && Character.isWhitespace(peek())) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= input.length();
    }

    private char peek() {
        return input.charAt(pos);
    }

    private String describe(int at) {
        return at >= input.length() ? "end of input" : "'" + input.charAt(at) + "'";
    }

    private GremlinSpecException error(String problem, int offset) {
        return GremlinSpecException.inText(problem, input, offset);
    }

    /** One argument between the parentheses, converted with errors at its own offset. */
    private final class Argument {
        private final String text;
        private final int at;

        Argument(String text, int at) {
            this.text = text;
            this.at = at;
        }

        Duration duration() {
            try {
                return DurationText.parse(text);
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage(), at);
            }
        }

        double number(String what) {
            try {
                return NumberText.parseDecimal(text, what);
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage(), at);
            }
        }

        int integer(String what) {
            try {
                return NumberText.parseInteger(text, what);
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage(), at);
            }
        }
    }
}
