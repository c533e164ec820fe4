package io.valerix.gremlin.testing;

import io.valerix.core.gremlin.DecisionLog;
import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinDecision;
import io.valerix.core.gremlin.GremlinProxy;
import io.valerix.core.gremlin.GremlinSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that puts a seeded {@link GremlinProxy} in front of a URL for each test:
 * point the code under test at {@link #uri()} instead of the real server, and it sees the spec's
 * delays and faults, the same ones for the same seed on every run.
 *
 * <pre>{@code
 * @RegisterExtension
 * static WireMockExtension payments = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();
 *
 * @RegisterExtension
 * final GremlinProxyExtension gremlin = GremlinProxyExtension.inFrontOf(payments::baseUrl)
 *     .spec("error(503) after route=\"POST /payments\"").seed(42).build();
 *
 * @Test
 * void aLostAnswerIsRetriedWithTheSameKey() {
 *   PaymentClient client = new PaymentClient(gremlin.uri());
 *   ...
 *   assertThat(gremlin.decisions()).hasSize(2);
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh proxy and a fresh gremlin from the spec and seed (so one test's
 * requests never shift another's decisions), started before the test and closed after it. The
 * upstream is asked for when the test starts, so it may be a server another extension, declared
 * earlier, starts. {@link #decisions()} is the test's decision log; with {@link
 * Builder#saveDecisionsTo(Path)} it is also written as JSON lines ({@link DecisionLog}) to {@code
 * <directory>/<test class>.<test method>.jsonl}, ready to replay. {@link #gremlin()} can replace
 * the spec during a test.
 *
 * <p>Register it on an instance field (or a static one: it still starts per test). Not for
 * concurrent tests on one instance.
 */
public final class GremlinProxyExtension implements BeforeEachCallback, AfterEachCallback {

    private final Supplier<?> upstream;
    private final GremlinSpec spec;
    private final long seed;
    private final String adminToken;
    private final Path saveTo;
    private final List<GremlinDecision> decisions = Collections.synchronizedList(new ArrayList<>());
    private GremlinProxy proxy;

    private GremlinProxyExtension(Builder b) {
        this.upstream = b.upstream;
        this.spec = b.spec;
        this.seed = b.seed;
        this.adminToken = b.adminToken;
        this.saveTo = b.saveTo;
    }

    /**
     * A builder for a proxy in front of what {@code upstream} gives when a test starts: a {@link URI}
     * or its text, for example {@code wireMock::baseUrl}.
     */
    public static Builder inFrontOf(Supplier<?> upstream) {
        return new Builder(upstream);
    }

    /** A builder for a proxy in front of {@code upstream}. */
    public static Builder inFrontOf(URI upstream) {
        Objects.requireNonNull(upstream, "upstream");
        return new Builder(() -> upstream);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        decisions.clear();
        Object target = Objects.requireNonNull(upstream.get(), "the upstream supplier gave null");
        URI uri = target instanceof URI u ? u : URI.create(target.toString());
        Gremlin gremlin =
                Gremlin.builder(seed).spec(spec).listener(decisions::add).build();
        GremlinProxy.Builder builder =
                GremlinProxy.builder(uri).gremlin(gremlin).name("gremlin-proxy-" + context.getDisplayName());
        if (adminToken != null) {
            builder.adminToken(adminToken);
        }
        proxy = builder.build().start();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            if (proxy != null) {
                proxy.close();
            }
        } finally {
            proxy = null;
        }
        if (saveTo != null) {
            Files.createDirectories(saveTo);
            String name = context.getRequiredTestClass().getName() + "."
                    + context.getRequiredTestMethod().getName() + ".jsonl";
            Files.writeString(saveTo.resolve(name), decisionLog(), StandardCharsets.UTF_8);
        }
        if (context.getExecutionException().isPresent() && !decisions.isEmpty()) {
            // A failing test shows what the gremlin did to it, in the test report.
            context.publishReportEntry("gremlin-decisions", decisionLog());
        }
    }

    /** Where the code under test sends its requests during a test. */
    public URI uri() {
        return running().uri();
    }

    /** The running test's gremlin, for example to {@link Gremlin#replaceSpec replace} its spec mid-test. */
    public Gremlin gremlin() {
        return running().gremlin();
    }

    /** The running test's proxy. */
    public GremlinProxy proxy() {
        return running();
    }

    /** Every decision of the current (or last) test so far, in the order they were made. */
    public List<GremlinDecision> decisions() {
        synchronized (decisions) {
            return List.copyOf(decisions);
        }
    }

    /** {@link #decisions()} as a decision log: one JSON line each, as {@link DecisionLog#read} reads them. */
    public String decisionLog() {
        return decisions().stream()
                .map(DecisionLog::toJsonLine)
                .map(line -> line + "\n")
                .collect(Collectors.joining());
    }

    private GremlinProxy running() {
        GremlinProxy running = proxy;
        if (running == null) {
            throw new IllegalStateException("the gremlin proxy runs only during a test (it starts in beforeEach)");
        }
        return running;
    }

    /** Builds a {@link GremlinProxyExtension}; validated in {@link #build()}. */
    public static final class Builder {
        private final Supplier<?> upstream;
        private GremlinSpec spec = GremlinSpec.none();
        private long seed;
        private String adminToken;
        private Path saveTo;

        private Builder(Supplier<?> upstream) {
            this.upstream = Objects.requireNonNull(upstream, "upstream");
        }

        /** The spec in its text form (docs/gremlin.md); none unless set. */
        public Builder spec(String text) {
            return spec(GremlinSpec.parse(Objects.requireNonNull(text, "text")));
        }

        /** The spec; none unless set. */
        public Builder spec(GremlinSpec spec) {
            this.spec = Objects.requireNonNull(spec, "spec");
            return this;
        }

        /** The seed; 0 unless set. The same seed, spec and requests give the same decisions. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Serves {@code GET|PUT /admin/gremlin} on the proxy behind this token; off unless set. */
        public Builder adminToken(String token) {
            this.adminToken = Objects.requireNonNull(token, "token");
            return this;
        }

        /** Writes each test's decisions to {@code <directory>/<class>.<method>.jsonl} after it. */
        public Builder saveDecisionsTo(Path directory) {
            this.saveTo = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * The extension.
         *
         * @throws IllegalArgumentException if the admin token is not a valid bearer token
         */
        public GremlinProxyExtension build() {
            if (adminToken != null) {
                io.valerix.core.http.BearerTokenFilter.validToken("admin", adminToken);
            }
            return new GremlinProxyExtension(this);
        }
    }

    @Override
    public String toString() {
        return "GremlinProxyExtension[seed=" + seed + ", spec='" + spec + "']";
    }
}
