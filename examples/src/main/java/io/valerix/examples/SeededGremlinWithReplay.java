package io.valerix.examples;

// snippet:start gremlin-imports
import io.valerix.core.gremlin.DecisionLog;
import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinDecision;
import io.valerix.core.gremlin.GremlinSpec;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
// snippet:end gremlin-imports
import java.util.function.Consumer;

/**
 * A seeded gremlin and its decision log: deciding is separate from injecting, so a decision can be
 * read without waiting; a run's decisions, saved as JSON lines, make a gremlin that replays them.
 * docs/gremlin.md shows these regions; {@code SeededGremlinWithReplayTest} runs them through a real
 * server.
 */
public final class SeededGremlinWithReplay {

    private SeededGremlinWithReplay() {}

    /** The inventory service's original gremlin, seed 42, logging to {@code runDir/gremlin.jsonl}: its first decision. */
    public static GremlinDecision firstDecision(Path runDir) throws IOException {
        // snippet:start gremlin-decide
        DecisionLog log = DecisionLog.writingTo(Files.newBufferedWriter(runDir.resolve("gremlin.jsonl")));
        Gremlin gremlin = Gremlin.builder(42) // the seed
                .spec(GremlinSpec.parse("uniform(0ms,5s) after")) // the original inventory gremlin
                .listener(log) // close it when the run ends
                .build();

        GremlinDecision d = gremlin.decide("PUT", "/reservations/o-1"); // at once: no sleeping
        // snippet:end gremlin-decide
        log.close();
        return d;
    }

    /**
     * Runs {@code chaosRun} with a gremlin of {@code seed} and {@code spec}, saving its decisions in
     * {@code file}, and returns a gremlin that replays them.
     */
    public static Gremlin recordAndReplay(Path file, long seed, GremlinSpec spec, Consumer<Gremlin> chaosRun)
            throws IOException {
        // snippet:start gremlin-replay
        try (DecisionLog log = DecisionLog.writingTo(Files.newBufferedWriter(file))) {
            Gremlin gremlin = Gremlin.builder(seed).spec(spec).listener(log).build();
            chaosRun.accept(gremlin); // requests through a GremlinFilter, proxy, ...
        }
        List<GremlinDecision> saved;
        try (Reader in = Files.newBufferedReader(file)) {
            saved = DecisionLog.read(in);
        }
        Gremlin replaying = Gremlin.builder(seed).replay(saved).build();
        // snippet:end gremlin-replay
        return replaying;
    }
}
