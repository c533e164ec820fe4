package io.valerix.bench;

import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinDecision;
import io.valerix.core.gremlin.GremlinSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the gremlin costs every request it sees: one {@link Gremlin#decide(String, String)}, with
 * the inventory service's default spec ({@code uniform(0ms,5s) after}), with a spec of several
 * route-scoped rules, and with no spec at all. The decision is only computed here, never slept.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar GremlinBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GremlinBenchmark {

    private Gremlin none;
    private Gremlin defaultSpec;
    private Gremlin routed;

    @Setup(Level.Trial)
    public void setUp() {
        none = Gremlin.builder(42).build();
        defaultSpec = Gremlin.builder(42)
                .spec(GremlinSpec.parse("uniform(0ms,5s) after"))
                .build();
        routed = Gremlin.builder(42)
                .spec(GremlinSpec.parse(
                        "fixed(10ms) route=\"GET /inventory/*\"; uniform(0ms,5s) after p=0.5 route=\"PUT /reservations/*\"; "
                                + "error(503) p=0.01 route=\"DELETE /reservations/*\""))
                .build();
    }

    @Benchmark
    public GremlinDecision decideNoSpec() {
        return none.decide("PUT", "/reservations/o-1");
    }

    @Benchmark
    public GremlinDecision decideDefaultSpec() {
        return defaultSpec.decide("PUT", "/reservations/o-1");
    }

    @Benchmark
    public GremlinDecision decideThreeRoutedRules() {
        return routed.decide("PUT", "/reservations/o-1");
    }
}
