package io.valerix.core.gremlin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * A gremlin's decision is a function of its seed, its spec and the request's number: the same
 * seed gives the same decision for request n however the requests before it were spelled or
 * which threads sent them, so a chaos run replays from its seed.
 */
class GremlinDecisionProperties {

    /** Specs whose rules match every route, so only the random draws can tell two runs apart. */
    @Provide
    Arbitrary<String> specs() {
        return Arbitraries.of(
                "uniform(0ms,5s) after p=0.5",
                "normal(100ms,30ms) p=0.2; error(503) p=0.1",
                "lognormal(100ms,0.5) before p=0.7; reset after p=0.05",
                "pareto(10ms,1.5) p=0.3; noresponse(30s) p=0.02; slowbody(2s) p=0.02",
                "fixed(250ms) before p=0.5; error(500) after p=0.5");
    }

    @Provide
    Arbitrary<List<String>> paths() {
        return Arbitraries.strings()
                .withCharRange('a', 'z')
                .ofMinLength(1)
                .ofMaxLength(8)
                .map(s -> "/inventory/" + s)
                .list()
                .ofMinSize(1)
                .ofMaxSize(200);
    }

    @Property(tries = 100)
    void theSameSeedDecidesTheSameForEachRequestNumberWhateverThePaths(
            @ForAll long seed,
            @ForAll("specs") String spec,
            @ForAll("paths") List<String> first,
            @ForAll("paths") List<String> second) {
        int requests = Math.min(first.size(), second.size());
        List<String> a = decisionsWithoutPaths(gremlin(seed, spec), first.subList(0, requests));
        List<String> b = decisionsWithoutPaths(gremlin(seed, spec), second.subList(0, requests));

        assertThat(b).isEqualTo(a);
    }

    @Property(tries = 20)
    void requestsSentFromManyThreadsGetTheDecisionsOfTheirNumbers(
            @ForAll long seed, @ForAll("specs") String spec, @ForAll @IntRange(min = 2, max = 8) int threads)
            throws Exception {
        int requests = 400;
        List<String> sequential =
                decisionsWithoutPaths(gremlin(seed, spec), java.util.Collections.nCopies(requests, "/inventory/w"));

        Gremlin shared = gremlin(seed, spec);
        Map<Long, String> concurrent = new ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> sent = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                sent.add(pool.submit(() -> {
                    for (int i = 0; i < requests / threads; i++) {
                        GremlinDecision decision = shared.decide("GET", "/inventory/w");
                        concurrent.put(decision.request(), withoutPath(decision));
                    }
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        }

        int sentCount = requests / threads * threads;
        assertThat(concurrent).hasSize(sentCount);
        assertThat(new java.util.TreeMap<>(concurrent).values())
                .containsExactlyElementsOf(sequential.subList(0, sentCount));
    }

    @Property(tries = 50)
    void anotherSeedDecidesDifferently(@ForAll long seed, @ForAll("specs") String spec) {
        List<String> paths = java.util.Collections.nCopies(200, "/inventory/w");

        assertThat(decisionsWithoutPaths(gremlin(seed + 1, spec), paths))
                .isNotEqualTo(decisionsWithoutPaths(gremlin(seed, spec), paths));
    }

    private static Gremlin gremlin(long seed, String spec) {
        return Gremlin.builder(seed).spec(GremlinSpec.parse(spec)).build();
    }

    private static List<String> decisionsWithoutPaths(Gremlin gremlin, List<String> paths) {
        List<String> decisions = new ArrayList<>();
        for (String path : paths) {
            decisions.add(withoutPath(gremlin.decide("GET", path)));
        }
        return decisions;
    }

    /** What the gremlin decided for the request, without the path it was told. */
    private static String withoutPath(GremlinDecision decision) {
        return decision.request() + " " + decision.delay(InjectionPhase.BEFORE) + " "
                + decision.delay(InjectionPhase.AFTER) + " " + decision.fault(InjectionPhase.BEFORE) + " "
                + decision.fault(InjectionPhase.AFTER) + " " + decision.firedRules();
    }
}
