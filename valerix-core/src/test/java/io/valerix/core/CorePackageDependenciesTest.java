package io.valerix.core;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps core's package structure as its package-infos describe it: no cycles between packages, and
 * each package uses only the packages its package-info says it may use ("May use {@code a} and
 * {@code b}"). The rule lives in the documentation, so the two cannot drift apart.
 */
class CorePackageDependenciesTest {

    private static final String CORE = "io.valerix.core";
    /** The module's sources; surefire runs in the module directory. */
    private static final Path SOURCES = Path.of("src/main/java/io/valerix/core");
    /** "May use {@code a}, {@code b} and {@code c}." up to the end of its sentence or clause. */
    private static final Pattern MAY_USE = Pattern.compile("[Mm]ay use (.*?)[.;:](\\s|$)", Pattern.DOTALL);

    private static final Pattern CODE = Pattern.compile("\\{@code\\s+([a-z]+)\\s*}");

    /**
     * The internal types other core packages may share: the journal's row codec (backup's segments
     * and restores read the rows it wrote), HTTP's shared OkHttp resources (the backup service
     * client), and the Hikari probe that works when HikariCP is absent (the database health check).
     */
    private static final String FRIENDS =
            "io\\.valerix\\.core\\.(journal\\.internal\\.RowCodec|http\\.internal\\.SharedOkHttp"
                    + "|jdbc\\.internal\\.HikariPools)(\\$.*)?";

    private static JavaClasses classes;

    @BeforeAll
    static void importCore() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(CORE);
    }

    @Test
    void corePackagesDependOnEachOtherWithoutCycles() {
        slices().matching(CORE + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void everyPackageUsesOnlyThePackagesItsPackageInfoAllows() throws IOException {
        Map<String, Set<String>> allowed = allowedByPackageInfo();
        assertThat(allowed.keySet())
                .as("packages with a package-info")
                .containsExactlyInAnyOrderElementsOf(packagesWithClasses());

        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Set<String>> entry : allowed.entrySet()) {
            List<String> forbidden = new ArrayList<>();
            for (String other : allowed.keySet()) {
                if (!other.equals(entry.getKey()) && !entry.getValue().contains(other)) {
                    forbidden.add(CORE + "." + other + "..");
                }
            }
            if (!forbidden.isEmpty()) {
                noClasses()
                        .that()
                        .resideInAPackage(CORE + "." + entry.getKey() + "..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(forbidden.toArray(String[]::new))
                        .because(entry.getKey() + "'s package-info allows only " + entry.getValue())
                        .evaluate(classes)
                        .getFailureReport()
                        .getDetails()
                        .forEach(violations::add);
            }
        }
        assertThat(violations).as("dependencies the package-infos do not allow").isEmpty();
    }

    @Test
    void noPackageReachesIntoAnotherPackagesInternals() {
        List<String> violations = new ArrayList<>();
        for (String name : packagesWithClasses()) {
            noClasses()
                    .that()
                    .resideOutsideOfPackage(CORE + "." + name + "..")
                    .should()
                    .dependOnClassesThat(
                            resideInAPackage(CORE + "." + name + ".internal..").and(not(nameMatching(FRIENDS))))
                    .because(name + ".internal is " + name + "'s implementation detail")
                    .evaluate(classes)
                    .getFailureReport()
                    .getDetails()
                    .forEach(violations::add);
        }
        assertThat(violations).as("uses of another package's internals").isEmpty();
    }

    @Test
    void coreOverviewNamesEveryPackage() throws IOException {
        String overview = Files.readString(SOURCES.resolve("package-info.java"));

        assertThat(packagesWithClasses())
                .allSatisfy(name -> assertThat(overview).contains("{@link " + CORE + "." + name + "}"));
    }

    @Test
    void onlyTheClockReadsTheSystemsNanoTime() {
        noClasses()
                .that()
                .resideOutsideOfPackage(CORE + ".time..")
                .should()
                .callMethod(System.class, "nanoTime")
                .because("NanoClock is the only way Valerix reads elapsed time, so tests can drive it")
                .check(classes);
    }

    /** The root packages under io.valerix.core that hold classes (internal packages count as theirs). */
    private static Set<String> packagesWithClasses() {
        Set<String> names = new TreeSet<>();
        for (JavaClass javaClass : classes) {
            String name = javaClass.getPackageName();
            if (name.startsWith(CORE + ".") && !javaClass.getSimpleName().equals("package-info")) {
                names.add(name.substring(CORE.length() + 1).split("\\.")[0]);
            }
        }
        return names;
    }

    private static Map<String, Set<String>> allowedByPackageInfo() throws IOException {
        Map<String, Set<String>> allowed = new TreeMap<>();
        try (var directories = Files.list(SOURCES)) {
            for (Path directory : directories.filter(Files::isDirectory).toList()) {
                Path packageInfo = directory.resolve("package-info.java");
                assertThat(packageInfo)
                        .as("package-info of " + directory.getFileName())
                        .exists();
                String text = Files.readString(packageInfo).replaceAll("\\n\\s*\\*", " ");
                Matcher mayUse = MAY_USE.matcher(text);
                assertThat(mayUse.find())
                        .as(packageInfo + " says what the package may use (\"May use {@code a} and {@code b}.\")")
                        .isTrue();
                allowed.put(
                        directory.getFileName().toString(),
                        CODE.matcher(mayUse.group(1))
                                .results()
                                .map(m -> m.group(1))
                                .collect(Collectors.toCollection(TreeSet::new)));
            }
        }
        return allowed;
    }
}
