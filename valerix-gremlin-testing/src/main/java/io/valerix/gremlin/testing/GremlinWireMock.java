package io.valerix.gremlin.testing;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.valerix.core.gremlin.Fault;
import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinDecision;
import io.valerix.core.gremlin.GremlinFilter;
import io.valerix.core.gremlin.InjectionPhase;
import java.time.Duration;
import java.util.Objects;

/**
 * A WireMock extension that gives every stubbed answer the gremlin's seeded delays and faults: the
 * same specs, seeds and decision log as anywhere else, on WireMock's own delay and fault machinery.
 *
 * <pre>{@code
 * Gremlin gremlin = Gremlin.builder(42).spec(GremlinSpec.parse("uniform(0ms,2s) p=0.5; reset p=0.1")).build();
 * WireMockServer payments = new WireMockServer(wireMockConfig().dynamicPort().extensions(GremlinWireMock.of(gremlin)));
 * }</pre>
 *
 * <p>How a decision plays out, per matched request (rules match its method and path):
 *
 * <ul>
 *   <li>delays, {@code before} and {@code after} together, are added to the stub's fixed delay. A
 *       stub has no side effect, so the two phases look alike from the client; WireMock's request
 *       journal records the request either way;
 *   <li>{@code error(503)}: that status with an {@code application/problem+json} body instead of the
 *       stub's answer;
 *   <li>{@code reset}: WireMock's {@code CONNECTION_RESET_BY_PEER} fault;
 *   <li>{@code noresponse(30s)}: held for the bound, then WireMock's {@code EMPTY_RESPONSE} fault
 *       (the connection closes without an answer);
 *   <li>{@code slowbody(5s)}: the stub's body dribbled out in 20 chunks over that time.
 * </ul>
 *
 * <p>Applies to every stub (a global transformer). Needs {@code org.wiremock:wiremock} or {@code
 * org.wiremock:wiremock-standalone} 3.13 on the class path. Thread-safe.
 */
public final class GremlinWireMock implements ResponseDefinitionTransformerV2 {

    /** The extension's name in WireMock. */
    public static final String NAME = "valerix-gremlin";

    private static final int DRIBBLE_CHUNKS = 20;

    private final Gremlin gremlin;

    private GremlinWireMock(Gremlin gremlin) {
        this.gremlin = Objects.requireNonNull(gremlin, "gremlin");
    }

    /** The extension applying {@code gremlin} to every stubbed answer. */
    public static GremlinWireMock of(Gremlin gremlin) {
        return new GremlinWireMock(gremlin);
    }

    /** The gremlin this extension applies. */
    public Gremlin gremlin() {
        return gremlin;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        ResponseDefinition stubbed = serveEvent.getResponseDefinition();
        String url = serveEvent.getRequest().getUrl();
        int query = url.indexOf('?');
        GremlinDecision decision = gremlin.decide(
                serveEvent.getRequest().getMethod().getName(), query < 0 ? url : url.substring(0, query));
        if (decision.injectsNothing()) {
            return stubbed;
        }
        long delay = decision.delay(InjectionPhase.BEFORE)
                .plus(decision.delay(InjectionPhase.AFTER))
                .toMillis();
        Fault fault = decision.fault().orElse(null);
        ResponseDefinitionBuilder answer = fault instanceof Fault.ErrorResponse error
                ? ResponseDefinitionBuilder.responseDefinition()
                        .withStatus(error.status())
                        .withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"type\":\"urn:valerix:problem:" + GremlinFilter.INJECTED_TYPE
                                + "\",\"title\":\"Injected by the gremlin\"," + "\"status\":" + error.status()
                                + ",\"detail\":\"the gremlin injected this error\"}")
                : ResponseDefinitionBuilder.like(stubbed);
        switch (fault) {
            case Fault.ConnectionReset reset ->
                answer.withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER);
            case Fault.NoResponse hold -> {
                delay += hold.bound().toMillis();
                answer.withFault(com.github.tomakehurst.wiremock.http.Fault.EMPTY_RESPONSE);
            }
            case Fault.SlowBody slow -> answer.withChunkedDribbleDelay(DRIBBLE_CHUNKS, millis(slow.duration()));
            case null, default -> {}
        }
        Integer stubDelay = stubbed.getFixedDelayMilliseconds();
        long total = delay + (stubDelay == null ? 0 : stubDelay);
        if (total > 0) {
            answer.withFixedDelay(millis(Duration.ofMillis(total)));
        }
        return answer.build();
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    @Override
    public String toString() {
        return "GremlinWireMock[" + gremlin + "]";
    }
}
