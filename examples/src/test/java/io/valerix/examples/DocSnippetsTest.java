package io.valerix.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Java snippets of README.md and every docs/*.md are copies of regions of the examples (and,
 * for the dashboard, of the harness), which CI compiles and runs: a snippet that drifts from its
 * source fails here, and so does a new Java block without a source.
 *
 * <p>In Markdown, {@code <!-- snippet: examples/src/main/java/.../File.java#name -->} right before a
 * fenced block names its source; in the source, {@code // snippet:start name} and
 * {@code // snippet:end name} mark the region (compared without its common indentation).
 */
class DocSnippetsTest {

    /** Documents that must have Java blocks: if one of them has none, the check is looking at the wrong files. */
    static final List<String> MUST_HAVE_SNIPPETS =
            List.of("README.md", "docs/idempotency.md", "docs/gremlin.md", "docs/backup.md", "docs/dashboard.md");

    /** README.md's 6, idempotency.md's 5, gremlin.md's 10, backup.md's 10 and dashboard.md's 2 when this was written. */
    private static final int MIN_COMPARED = 33;

    private static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->");

    private static final Path ROOT = findRoot();

    @Test
    void everyJavaSnippetIsARegionOfAnExampleWordForWord() throws IOException {
        int compared = 0;
        Map<String, Integer> comparedPerDocument = new TreeMap<>();
        for (String document : checkedDocuments()) {
            List<String> lines = Files.readAllLines(ROOT.resolve(document));
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).startsWith("```java")) {
                    continue;
                }
                Matcher marker = i > 0 ? MARKER.matcher(lines.get(i - 1).trim()) : null;
                assertThat(marker != null && marker.matches())
                        .as(
                                "%s line %d: a ```java block needs a '<!-- snippet: path#name -->' line right before it",
                                document, i + 1)
                        .isTrue();
                // The libraries' snippets come from the examples; the dashboard's shows the harness's own code.
                assertThat(marker.group(1))
                        .as("%s line %d: a snippet's source is code CI compiles and runs", document, i + 1)
                        .matches("examples/src/(main|test)/java/.+\\.java|harness/src/main/java/.+\\.java");
                List<String> block = new ArrayList<>();
                for (int j = i + 1; !lines.get(j).startsWith("```"); j++) {
                    block.add(lines.get(j));
                }
                assertThat(String.join("\n", block))
                        .as("%s line %d: the snippet %s#%s", document, i + 1, marker.group(1), marker.group(2))
                        .isEqualTo(String.join("\n", region(ROOT.resolve(marker.group(1)), marker.group(2))));
                compared++;
                comparedPerDocument.merge(document, 1, Integer::sum);
            }
        }
        assertThat(comparedPerDocument)
                .as("documents with Java snippets")
                .containsKeys(MUST_HAVE_SNIPPETS.toArray(String[]::new));
        assertThat(compared).as("snippets compared").isGreaterThanOrEqualTo(MIN_COMPARED);
    }

    /** README.md and every Markdown file in docs/. */
    static List<String> checkedDocuments() throws IOException {
        List<String> documents = new ArrayList<>(List.of("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.map(path -> "docs/" + path.getFileName())
                    .filter(name -> name.endsWith(".md"))
                    .sorted()
                    .forEach(documents::add);
        }
        return documents;
    }

    @Test
    void readmeListsEveryArtifactOfTheBomWithItsCoordinates() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String bom = Files.readString(ROOT.resolve("valerix-bom/pom.xml"));
        Matcher artifact =
                Pattern.compile("<artifactId>(valerix-[a-z0-9-]+)</artifactId>").matcher(bom);
        List<String> artifacts = new ArrayList<>();
        while (artifact.find()) {
            if (!artifact.group(1).equals("valerix-parent")) {
                artifacts.add(artifact.group(1));
            }
        }
        assertThat(artifacts).contains("valerix-bom", "valerix-core", "valerix-inventory-lib", "valerix-order-lib");
        for (String name : artifacts) {
            assertThat(readme).as("README lists %s", name).contains("<artifactId>" + name + "</artifactId>");
        }
    }

    /** The lines between the region's markers, without their common indentation. */
    static List<String> region(Path source, String name) throws IOException {
        List<String> lines = Files.readAllLines(source);
        int start = lines.indexOf(lines.stream()
                .filter(l -> l.trim().equals("// snippet:start " + name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no '// snippet:start " + name + "' in " + source)));
        int end = lines.indexOf(lines.stream()
                .filter(l -> l.trim().equals("// snippet:end " + name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no '// snippet:end " + name + "' in " + source)));
        List<String> region = lines.subList(start + 1, end);
        int indent = region.stream()
                .filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length())
                .min()
                .orElse(0);
        return region.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("mvnw")) && Files.exists(dir.resolve("README.md")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException(
                    "no project root (mvnw and README.md) above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
