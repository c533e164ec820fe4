package io.valerix.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Acceptance: a fresh Maven project outside the reactor, which knows Valerix only through the
 * published artifacts and the BOM, compiles and runs two examples (the second on a plain H2
 * {@code DataSource}, with no HikariCP on the class path).
 *
 * <p>"Published" means what a release deploys: each library's packaged jar, sources jar and
 * flattened POM (the parent and the BOM too), laid out in a private local repository under
 * {@code examples/target/acceptance/repository}, never the shared {@code ~/.m2} (which the fresh
 * build reads only, as a read-only tail, for third-party jars). The fresh build runs offline, so
 * nothing can come from anywhere else. It runs in the integration-test phase, after every library
 * was packaged; the libraries are the BOM's entries (module directory = artifactId).
 */
class PublishedArtifactsIT {

    private static final Path ROOT =
            Path.of(System.getProperty("valerix.root", "..")).toAbsolutePath().normalize();
    private static final String VERSION = System.getProperty("valerix.version");
    private static final Path SHARED_REPOSITORY =
            Path.of(System.getProperty("valerix.localRepository", System.getProperty("user.home") + "/.m2/repository"));
    private static final Path WORK = ROOT.resolve("examples/target/acceptance");
    private static final Path REPOSITORY = WORK.resolve("repository");
    private static final Path PROJECT = WORK.resolve("fresh-project");
    private static final String H2_VERSION = System.getProperty("valerix.h2.version");
    /** The examples the fresh project compiles: they need valerix-core, and H2 for the second. */
    private static final List<String> EXAMPLES = List.of(
            "io/valerix/examples/DeadlineAroundBlockingCall.java", "io/valerix/examples/BringYourOwnDataSource.java");

    private static final List<String> moduleNames = new ArrayList<>();

    @BeforeAll
    static void publishIntoAPrivateRepository() throws IOException {
        assertThat(VERSION).as("-Dvalerix.version (set by the examples POM)").isNotBlank();
        assertThat(H2_VERSION)
                .as("-Dvalerix.h2.version (set by the examples POM)")
                .isNotBlank();
        deleteRecursively(REPOSITORY.resolve("io/valerix"));
        publish(ROOT, "valerix-parent", false);
        publish(ROOT.resolve("valerix-bom"), "valerix-bom", false);
        for (String library : bomEntries()) {
            publish(ROOT.resolve(library), library, true);
        }
    }

    @Test
    void everyLibraryShipsSourcesAResolvedPomAndItsOwnModuleName() {
        assertThat(bomEntries()).contains("valerix-core", "valerix-inventory-lib", "valerix-order-lib");
        assertThat(moduleNames)
                .doesNotHaveDuplicates()
                .allMatch(name -> name.matches("io\\.valerix(\\.[a-z][a-z0-9]*)+"));
        assertThat(moduleNames).hasSameSizeAs(bomEntries());
    }

    @Test
    void aFreshProjectBuiltAgainstTheBomCompilesAndRunsAnExample() throws Exception {
        // given a project that imports the BOM, declares valerix-core without a version, and brings
        // its own database driver (H2) but no pool
        deleteRecursively(PROJECT);
        for (String example : EXAMPLES) {
            Path source = PROJECT.resolve("src/main/java").resolve(example);
            Files.createDirectories(source.getParent());
            Files.copy(ROOT.resolve("examples/src/main/java").resolve(example), source);
        }
        Files.writeString(PROJECT.resolve("pom.xml"), freshPom());

        // when Maven builds it offline from the private repository (plus the shared one, read-only)
        Path classpathFile = PROJECT.resolve("target/classpath.txt");
        run(
                List.of(
                        maven(),
                        "-B",
                        "-o",
                        "-f",
                        PROJECT.resolve("pom.xml").toString(),
                        "-Dmaven.repo.local=" + REPOSITORY,
                        "-Dmaven.repo.local.tail=" + SHARED_REPOSITORY,
                        "-Dmaven.test.skip=true",
                        "package",
                        "dependency:build-classpath",
                        "-Dmdep.outputFile=" + classpathFile),
                WORK.resolve("fresh-build.log"),
                300);
        String classpath = Files.readString(classpathFile).trim();

        // then valerix-core came from the published artifacts, without its optional dependencies
        assertThat(classpath)
                .contains(
                        REPOSITORY.resolve("io/valerix/valerix-core/" + VERSION).toString());
        assertThat(classpath.split(File.pathSeparator))
                .noneMatch(jar -> jar.contains("/com/zaxxer/")
                        || jar.contains("/org/postgresql/")
                        || jar.contains("/io/micrometer/"));
        String run = PROJECT.resolve("target/classes") + File.pathSeparator + classpath;

        // and the examples run: a 300 ms deadline around a call to a server that answers after 5 s,
        Path deadlineLog = WORK.resolve("fresh-run-deadline.log");
        run(List.of(java(), "-cp", run, "io.valerix.examples.DeadlineAroundBlockingCall"), deadlineLog, 120);
        assertThat(Files.readString(deadlineLog)).contains("deadlineExceeded=true callCancelled=true");
        // and idempotency and the database health check on a plain DataSource, with no HikariCP at all
        Path dataSourceLog = WORK.resolve("fresh-run-datasource.log");
        run(List.of(java(), "-cp", run, "io.valerix.examples.BringYourOwnDataSource"), dataSourceLog, 120);
        assertThat(Files.readString(dataSourceLog)).contains("hikari=false first=201 replayed=true runs=1 database=UP");
    }

    /** Copies a module's published files into the private repository, checking each. */
    private static void publish(Path module, String artifactId, boolean jar) throws IOException {
        Path pom = module.resolve(".flattened-pom.xml");
        assertThat(pom)
                .as("%s's flattened POM: package the reactor first (./mvnw -pl examples -am verify)", artifactId)
                .exists();
        String pomText = Files.readString(pom);
        assertThat(pomText)
                .as("%s's published POM", artifactId)
                .doesNotContain("${revision}")
                .contains("<version>" + VERSION + "</version>", "<name>", "<description>");
        if (!pomText.contains("<parent>")) {
            // the parent and the BOM carry the metadata a repository asks for; the libraries inherit it
            assertThat(pomText)
                    .as("%s's published POM", artifactId)
                    .contains("<licenses>", "<scm", "<developers>", "<url>");
        }
        Path target = REPOSITORY.resolve("io/valerix/" + artifactId + "/" + VERSION);
        Files.createDirectories(target);
        String base = artifactId + "-" + VERSION;
        Files.copy(pom, target.resolve(base + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (!jar) {
            return;
        }
        for (String classifier : List.of("", "-sources")) {
            Path file = module.resolve("target/" + base + classifier + ".jar");
            assertThat(file).as("%s, packaged", file).exists();
            Files.copy(file, target.resolve(base + classifier + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
        try (JarFile jarFile =
                new JarFile(module.resolve("target/" + base + ".jar").toFile())) {
            String name = jarFile.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
            assertThat(name)
                    .as("%s's Automatic-Module-Name", artifactId)
                    .isNotBlank()
                    .isNotEqualTo("io.valerix");
            moduleNames.add(name);
        }
    }

    /** The libraries the BOM manages. */
    private static List<String> bomEntries() {
        try {
            String bom = Files.readString(ROOT.resolve("valerix-bom/pom.xml"));
            String managed =
                    bom.substring(bom.indexOf("<dependencyManagement>"), bom.indexOf("</dependencyManagement>"));
            Matcher artifact =
                    Pattern.compile("<artifactId>([a-z0-9-]+)</artifactId>").matcher(managed);
            Set<String> names = new HashSet<>();
            List<String> result = new ArrayList<>();
            while (artifact.find()) {
                if (names.add(artifact.group(1))) {
                    result.add(artifact.group(1));
                }
            }
            return result;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String freshPom() {
        // Plugin versions are pinned to those the reactor already uses, so an offline build finds them.
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.example</groupId>
          <artifactId>adopter</artifactId>
          <version>1.0</version>
          <properties>
            <maven.compiler.release>21</maven.compiler.release>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          </properties>
          <dependencyManagement>
            <dependencies>
              <dependency>
                <groupId>io.valerix</groupId>
                <artifactId>valerix-bom</artifactId>
                <version>%s</version>
                <type>pom</type>
                <scope>import</scope>
              </dependency>
            </dependencies>
          </dependencyManagement>
          <dependencies>
            <dependency>
              <groupId>io.valerix</groupId>
              <artifactId>valerix-core</artifactId>
            </dependency>
            <dependency>
              <groupId>com.h2database</groupId>
              <artifactId>h2</artifactId>
              <version>%s</version>
            </dependency>
          </dependencies>
          <build>
            <plugins>
              <plugin><artifactId>maven-clean-plugin</artifactId><version>3.4.1</version></plugin>
              <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
              <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.14.1</version></plugin>
              <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.5.4</version></plugin>
              <plugin><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>
              <plugin><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version></plugin>
            </plugins>
          </build>
        </project>
        """.formatted(VERSION, H2_VERSION);
    }

    private static String maven() {
        String home = System.getProperty("maven.home");
        assertThat(home).as("-Dmaven.home (set by the examples POM)").isNotBlank();
        return Path.of(home, "bin", "mvn").toString();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs {@code command} with this JVM's JDK, output to {@code log}; fails with the log's tail. */
    private static void run(List<String> command, Path log, int timeoutSeconds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(PROJECT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("MAVEN_ARGS");
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(command.get(0) + " did not finish in " + timeoutSeconds + " s; see " + log);
        }
        if (process.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new AssertionError(command + " exited " + process.exitValue() + "; last lines of " + log + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
