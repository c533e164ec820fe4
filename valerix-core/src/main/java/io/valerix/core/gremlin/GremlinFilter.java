package io.valerix.core.gremlin;

import io.valerix.core.gremlin.internal.PacedOutputStream;
import io.valerix.core.http.Filter;
import io.valerix.core.http.Handler;
import io.valerix.core.http.OperatorPaths;
import io.valerix.core.http.Problem;
import io.valerix.core.http.ProblemType;
import io.valerix.core.http.Request;
import io.valerix.core.http.Response;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Puts a {@link Gremlin} in front of a server's routes: the server filter that sleeps and injects
 * what the gremlin decided, in the order {@code docs/gremlin.md} gives (before-delay, before-fault,
 * handler, after-delay, after-fault).
 *
 * <p>{@linkplain OperatorPaths Operator routes} are exempt: the gremlin plays the unreliable
 * network between services, and the people watching the chaos must still be able to see and stop
 * it.
 *
 * <p>Sleeps happen on the request's own (virtual) thread. Thread-safe.
 */
public final class GremlinFilter implements Filter {

    /** The problem type of an injected error status. */
    public static final String INJECTED_TYPE = "gremlin-injected";

    private final Gremlin gremlin;
    private final Predicate<String> exempt;

    private GremlinFilter(Gremlin gremlin, Predicate<String> exempt) {
        this.gremlin = Objects.requireNonNull(gremlin, "gremlin");
        this.exempt = Objects.requireNonNull(exempt, "exempt");
    }

    /** A filter applying {@code gremlin} to every route but the operator routes. */
    public static GremlinFilter of(Gremlin gremlin) {
        return new GremlinFilter(gremlin, OperatorPaths::matches);
    }

    /**
     * A filter applying {@code gremlin} to every request whose decoded path {@code exempt} does not
     * select; for a proxy, whose upstream's {@code /health} is as fair a target as any other path.
     */
    public static GremlinFilter exempting(Gremlin gremlin, Predicate<String> exempt) {
        return new GremlinFilter(gremlin, exempt);
    }

    /** The gremlin this filter applies. */
    public Gremlin gremlin() {
        return gremlin;
    }

    @Override
    public Response filter(Request request, Handler next) throws Exception {
        if (exempt.test(request.path())) {
            return next.handle(request);
        }
        GremlinDecision decision = gremlin.decide(request.method(), request.path());
        if (decision.injectsNothing()) {
            return next.handle(request);
        }
        sleep(decision.delay(InjectionPhase.BEFORE));
        Optional<Fault> before = decision.fault(InjectionPhase.BEFORE);
        if (before.isPresent()) {
            return inject(before.get(), request, null);
        }
        Response response = next.handle(request);
        sleep(decision.delay(InjectionPhase.AFTER));
        Optional<Fault> after = decision.fault(InjectionPhase.AFTER);
        return after.isPresent() ? inject(after.get(), request, response) : response;
    }

    private static Response inject(Fault fault, Request request, Response response) throws InterruptedException {
        return switch (fault) {
            case Fault.ErrorResponse error ->
                Response.problem(Problem.of(
                        ProblemType.of(INJECTED_TYPE, "Injected by the gremlin", error.status()),
                        "the gremlin injected this error"));
            case Fault.ConnectionReset reset -> Response.dropConnection();
            case Fault.NoResponse hold -> {
                // Held until the caller has given up (its deadline), at most the bound, then dropped.
                Duration remaining = request.deadline().remaining();
                sleep(remaining.compareTo(hold.bound()) < 0 ? remaining.plusMillis(50) : hold.bound());
                yield Response.dropConnection();
            }
            case Fault.SlowBody slow ->
                response == null || response.dropsConnection()
                        ? response
                        : response.wrapBody(out -> new PacedOutputStream(out, slow.duration()));
        };
    }

    private static void sleep(Duration duration) throws InterruptedException {
        if (!duration.isZero()) {
            Thread.sleep(duration);
        }
    }
}
