package io.valerix.harness.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The browser is found as {@code .ci/run} finds it: names on the PATH in order, then fixed paths. */
class HeadlessChromiumLookupTest {

    @TempDir
    Path dir;

    @Test
    void aBrowserOnThePathIsFoundUnderAnyOfItsNamesBeforeTheFixedPaths() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path chromiumBrowser = executable(bin.resolve("chromium-browser"));
        Path fixed = executable(dir.resolve("fixed-chromium"));

        assertThat(HeadlessChromium.find(
                        "/nowhere" + File.pathSeparator + bin, HeadlessChromium.BROWSER_NAMES, List.of(fixed)))
                .contains(chromiumBrowser);
    }

    @Test
    void theEarlierNameWinsAndANonExecutableFileIsNoBrowser() throws IOException {
        Path first = Files.createDirectories(dir.resolve("first"));
        Path second = Files.createDirectories(dir.resolve("second"));
        Files.createFile(first.resolve("chromium"));
        Path googleChrome = executable(first.resolve("google-chrome"));
        Path chromium = executable(second.resolve("chromium"));

        assertThat(HeadlessChromium.find(
                        first + File.pathSeparator + second, HeadlessChromium.BROWSER_NAMES, List.of()))
                .contains(chromium);
        Files.delete(chromium);
        assertThat(HeadlessChromium.find(
                        first + File.pathSeparator + second, HeadlessChromium.BROWSER_NAMES, List.of()))
                .contains(googleChrome);
    }

    @Test
    void withNothingOnThePathTheFirstExecutableFixedPathIsUsed() throws IOException {
        Path missing = dir.resolve("missing");
        Path fixed = executable(dir.resolve("chromium"));

        assertThat(HeadlessChromium.find(null, HeadlessChromium.BROWSER_NAMES, List.of(missing, fixed)))
                .contains(fixed);
        assertThat(HeadlessChromium.find("", HeadlessChromium.BROWSER_NAMES, List.of(missing)))
                .isEmpty();
    }

    private static Path executable(Path file) throws IOException {
        return Files.createFile(
                file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }
}
