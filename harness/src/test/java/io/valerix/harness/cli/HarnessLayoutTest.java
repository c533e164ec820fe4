package io.valerix.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The harness's packages, as jdeps reads them from the compiled classes: {@code cli} on top and
 * nothing beneath it reaching back up, and no two packages depending on each other (a package and
 * its own {@code internal} excepted).
 */
class HarnessLayoutTest {

    private static final String ROOT = "io.valerix.harness";
    private static final Pattern EDGE = Pattern.compile(
            "^\\s+(" + Pattern.quote(ROOT) + "[\\w.]*)\\s+->\\s+(" + Pattern.quote(ROOT) + "[\\w.]*)\\s");

    private static Map<String, Set<String>> uses;

    @BeforeAll
    static void readPackages() throws URISyntaxException {
        Path classes = Path.of(ValerixCli.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new IllegalStateException("jdeps is not in this JDK"));
        StringWriter out = new StringWriter();
        int exit = jdeps.run(
                new PrintWriter(out),
                new PrintWriter(out),
                "-verbose:package",
                "-filter:none",
                "-e",
                Pattern.quote(ROOT) + ".*",
                classes.toString());
        assertThat(exit).as(out.toString()).isZero();
        uses = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher edge = EDGE.matcher(line);
            if (edge.find() && !edge.group(1).equals(edge.group(2))) {
                uses.computeIfAbsent(edge.group(1), k -> new TreeSet<>()).add(edge.group(2));
            }
        }
        assertThat(uses)
                .as("jdeps found the harness's packages")
                .containsKeys(ROOT + ".cli", ROOT + ".chaos", ROOT + ".fleet");
    }

    @Test
    void nothingImportsTheCommandLineLayer() {
        List<String> upward = new ArrayList<>();
        uses.forEach((from, targets) -> {
            if (!from.equals(ROOT + ".cli") && targets.contains(ROOT + ".cli")) {
                upward.add(from);
            }
        });
        assertThat(upward).as("packages that import io.valerix.harness.cli").isEmpty();
    }

    @Test
    void noTwoPackagesDependOnEachOtherExceptAPackageAndItsInternal() {
        List<String> cycles = new ArrayList<>();
        for (String from : uses.keySet()) {
            for (String to : uses.get(from)) {
                if (from.compareTo(to) < 0 && reaches(to, from, new HashSet<>()) && !ownInternal(from, to)) {
                    cycles.add(from + " <-> " + to);
                }
            }
        }
        assertThat(cycles).isEmpty();
    }

    @Test
    void aPackagesInternalIsUsedByThatPackageAlone() {
        List<String> reachingIn = new ArrayList<>();
        uses.forEach((from, targets) -> targets.stream()
                .filter(to ->
                        to.endsWith(".internal") && !from.equals(to.substring(0, to.length() - ".internal".length())))
                .forEach(to -> reachingIn.add(from + " -> " + to)));
        assertThat(reachingIn).isEmpty();
    }

    @Test
    void theEntryPointAndTheServiceAssemblyLiveInTheirOwnPackages() {
        assertThat(uses).doesNotContainKey(ROOT);
        assertThat(uses.getOrDefault(ROOT + ".services", Set.of()))
                .doesNotContain(ROOT + ".cli", ROOT + ".chaos", ROOT + ".backup", ROOT + ".bench");
    }

    private static boolean reaches(String from, String to, Set<String> seen) {
        for (String next : uses.getOrDefault(from, Set.of())) {
            if (next.equals(to) || (seen.add(next) && reaches(next, to, seen))) {
                return true;
            }
        }
        return false;
    }

    private static boolean ownInternal(String a, String b) {
        return b.equals(a + ".internal") || a.equals(b + ".internal");
    }
}
