package io.valerix.harness.cli;

import io.valerix.core.gremlin.DecisionLog;
import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinProxy;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.gremlin.GremlinSpecException;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.harness.services.ServicePair;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code valerix proxy}: the gremlin in front of any HTTP server, until Ctrl-C. */
@Command(
        name = "proxy",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the gremlin as an HTTP proxy in front of any server: each request is forwarded to --upstream, with the seeded"
                    + " delays and faults of --gremlin applied per route, before or after the upstream answers.",
            "GET|PUT /admin/gremlin on the proxy shows and replaces the spec (bearer admin token); no other path is the proxy's.",
            "Admin token: --admin-token, else $" + ServicePair.ADMIN_TOKEN_ENV + ", else random (printed)."
        })
final class ProxyCommand implements Callable<Integer> {

    @Option(
            names = "--listen",
            required = true,
            paramLabel = "PORT",
            description = "The port to listen on (0 picks a free one).")
    int listen;

    @Option(
            names = "--upstream",
            required = true,
            paramLabel = "URL",
            description = "The server to forward to: its base URL, with scheme, host and port.")
    URI upstream;

    @Option(
            names = "--gremlin",
            paramLabel = "SPEC",
            defaultValue = "none",
            description =
                    "What to inject, in the spec's text form (docs/gremlin.md), e.g. 'uniform(0ms,2s) after route=\"PUT /items/*\"'. Default: ${DEFAULT-VALUE}.")
    String gremlin;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description =
                    "The gremlin's seed; the same seed and requests give the same chaos (default: random, printed).")
    Long seed;

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description = "The address to listen on. Default: ${DEFAULT-VALUE}.")
    InetAddress bind;

    @Option(
            names = "--admin-token",
            paramLabel = "TOKEN",
            description = "The bearer token of /admin/gremlin (prefer the environment variable).")
    String adminToken;

    @Option(
            names = "--decision-log",
            paramLabel = "FILE",
            description = "Writes every decision as a JSON line, to explain or replay the run.")
    Path decisionLog;

    @Option(
            names = "--upstream-timeout",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long the upstream may take to answer; then 504. Default: ${DEFAULT-VALUE}.")
    Duration upstreamTimeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        GremlinSpec parsed;
        try {
            parsed = GremlinSpec.parse(gremlin);
        } catch (GremlinSpecException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--gremlin: " + e.getMessage());
        }
        long chosenSeed = seed != null ? seed : new SecureRandom().nextLong() & 0xFFFF_FFFFL;
        String token = adminToken != null ? adminToken : System.getenv(ServicePair.ADMIN_TOKEN_ENV);
        if (token == null || token.isBlank()) {
            token = BearerTokenFilter.randomToken();
        }
        GremlinProxy.Builder builder;
        try {
            BearerTokenFilter.validToken("admin", token.strip());
            builder = GremlinProxy.builder(upstream)
                    .port(listen)
                    .bindAddress(bind)
                    .adminToken(token.strip())
                    .upstreamTimeout(upstreamTimeout);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Gremlin.Builder decider = Gremlin.builder(chosenSeed).spec(parsed);
        DecisionLog log = null;
        if (decisionLog != null) {
            log = DecisionLog.writingTo(Files.newBufferedWriter(decisionLog, StandardCharsets.UTF_8));
            decider.listener(log);
        }
        GremlinProxy proxy;
        try {
            proxy = builder.gremlin(decider.build()).build().start();
        } catch (RuntimeException e) {
            closeLog(log);
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        DecisionLog logToClose = log;
        Thread hook = new Thread(
                () -> {
                    proxy.close();
                    closeLog(logToClose);
                    stopped.countDown();
                },
                "valerix-proxy-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("Valerix gremlin proxy is up.%n");
        out.printf("  listening   %s%n", proxy.uri());
        out.printf("  upstream    %s%n", upstream);
        out.printf("  gremlin     %s   (seed %d)%n", parsed.toText(), chosenSeed);
        out.printf(
                "  admin       GET|PUT %s/admin/gremlin   token %s%n",
                proxy.uri(), adminToken != null ? "as given" : token);
        if (decisionLog != null) {
            out.printf("  decisions   %s%n", decisionLog.toAbsolutePath());
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            // Embedded use (tests): an interrupt stops the proxy as Ctrl-C does.
            Runtime.getRuntime().removeShutdownHook(hook);
            hook.run();
            Thread.currentThread().interrupt();
        }
        return ExitCodes.SUCCESS;
    }

    private static void closeLog(DecisionLog log) {
        if (log == null) {
            return;
        }
        try {
            log.close();
        } catch (IOException e) {
            System.err.println("valerix: the decision log is incomplete: " + e.getMessage());
        }
    }
}
