package io.valerix.harness.dashboard;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's {@code chromium} driven through its {@code chromedriver}, headless, with a fresh
 * profile. Where they are missing the test fails under CI ({@code CI=true}) and is skipped, with
 * the packages to install, elsewhere.
 */
final class HeadlessChromium {

    /** Looked for as {@code .ci/run} looks: the names on the PATH first, then the fixed paths. */
    static final List<String> BROWSER_NAMES = List.of("chromium", "chromium-browser", "google-chrome");

    static final List<Path> BROWSER_PATHS =
            List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/lib/chromium/chromium"));
    static final List<String> DRIVER_NAMES = List.of("chromedriver");
    static final List<Path> DRIVER_PATHS =
            List.of(Path.of("/usr/bin/chromedriver"), Path.of("/usr/lib/chromium/chromedriver"));

    static final Path BROWSER = Optional.ofNullable(System.getProperty("valerix.chromium"))
            .map(Path::of)
            .orElseGet(() ->
                    find(System.getenv("PATH"), BROWSER_NAMES, BROWSER_PATHS).orElse(BROWSER_PATHS.getFirst()));
    static final Path DRIVER = Optional.ofNullable(System.getProperty("valerix.chromedriver"))
            .map(Path::of)
            .orElseGet(() ->
                    find(System.getenv("PATH"), DRIVER_NAMES, DRIVER_PATHS).orElse(DRIVER_PATHS.getFirst()));

    private HeadlessChromium() {}

    /**
     * The first of {@code names} that is an executable file in a directory of {@code path} (the
     * PATH variable's syntax, as {@code command -v} reads it), else the first executable of {@code
     * fixed}.
     */
    static Optional<Path> find(String path, List<String> names, List<Path> fixed) {
        List<Path> directories = path == null
                ? List.of()
                : Arrays.stream(path.split(File.pathSeparator))
                        .filter(dir -> !dir.isEmpty())
                        .map(Path::of)
                        .toList();
        for (String name : names) {
            for (Path directory : directories) {
                Path candidate = directory.resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return fixed.stream().filter(Files::isExecutable).findFirst();
    }

    /** A new headless browser whose profile lives in {@code profile}; the caller quits it. */
    static ChromeDriver start(Path profile) {
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            String message = "headless browser tests need a browser (" + String.join(", ", BROWSER_NAMES)
                    + " on the PATH, or "
                    + BROWSER_PATHS + ") and " + String.join(", ", DRIVER_NAMES) + " (on the PATH, or " + DRIVER_PATHS
                    + "); Debian packages: chromium chromium-driver";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + "; CI=true, so this is a failure, not a skip");
            }
            Assumptions.abort(message + "; skipped because CI is not set");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-extensions",
                "--hide-scrollbars",
                "--window-size=1366,900",
                "--user-data-dir=" + profile.toAbsolutePath());
        // The page's console (script errors, CSP violations), for the tests to check.
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(30))
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return driver;
    }

    /**
     * A screenshot of the whole page as it looks at {@code width} x {@code height} CSS pixels
     * ({@code mobile}: a phone's viewport and touch, at device scale 2), saved as PNG.
     */
    static void screenshot(ChromeDriver driver, Path file, int width, int height, boolean mobile) throws IOException {
        driver.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", mobile ? 2 : 1, "mobile", mobile));
        try {
            // Let the page lay out (and the charts resize) for the new viewport before the picture.
            driver.executeAsyncScript(
                    "var done = arguments[arguments.length - 1];"
                            + "requestAnimationFrame(function () { requestAnimationFrame(function () { setTimeout(done, 300); }); });");
            @SuppressWarnings("unchecked")
            Map<String, Object> content = (Map<String, Object>)
                    driver.executeCdpCommand("Page.getLayoutMetrics", Map.of()).get("cssContentSize");
            double pageHeight = Math.max(height, ((Number) content.get("height")).doubleValue());
            Map<String, Object> shot = driver.executeCdpCommand(
                    "Page.captureScreenshot",
                    Map.of(
                            "format",
                            "png",
                            "captureBeyondViewport",
                            true,
                            "clip",
                            Map.of("x", 0, "y", 0, "width", width, "height", pageHeight, "scale", 1)));
            Files.createDirectories(file.getParent());
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
            // On a phone, screen-size pieces too: a long page is easier to look at one screen at a time.
            String name = file.getFileName().toString().replaceAll("\\.png$", "");
            for (int i = 0; mobile && i * height < pageHeight && i < 10; i++) {
                Map<String, Object> piece = driver.executeCdpCommand(
                        "Page.captureScreenshot",
                        Map.of(
                                "format",
                                "png",
                                "captureBeyondViewport",
                                true,
                                "clip",
                                Map.of(
                                        "x",
                                        0,
                                        "y",
                                        i * height,
                                        "width",
                                        width,
                                        "height",
                                        Math.min(height, pageHeight - i * height),
                                        "scale",
                                        1)));
                Files.write(
                        file.resolveSibling(name + "-screen" + (i + 1) + ".png"),
                        Base64.getDecoder().decode((String) piece.get("data")));
            }
        } finally {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }
}
