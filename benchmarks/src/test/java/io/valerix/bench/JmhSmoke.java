package io.valerix.bench;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;

/** Runs a smoke pass of JMH, whatever else holds JMH's machine-wide lock. */
final class JmhSmoke {

    private JmhSmoke() {}

    /**
     * Runs {@code options} with {@code jmh.ignoreLock} set for this run only. JMH allows one run per
     * machine (/tmp/jmh.lock) so that benchmarks do not disturb each other; a smoke pass measures
     * nothing, and on a shared machine another build may be benchmarking right now, which must not
     * fail it. Each smoke test calls this, so none depends on another having run first.
     */
    static synchronized Collection<RunResult> run(Options options) throws RunnerException {
        String before = System.setProperty("jmh.ignoreLock", "true");
        try {
            return new Runner(options).run();
        } finally {
            if (before == null) {
                System.clearProperty("jmh.ignoreLock");
            } else {
                System.setProperty("jmh.ignoreLock", before);
            }
        }
    }
}
