package io.valerix.harness.dashboard;

import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;

import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.health.HealthConfig;
import io.valerix.core.testing.RawHttp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Makes the README's picture of the dashboard: about a minute of orders and inventory reads, then
 * slow inventory reads, then a Buy through the page. Runs only when asked:
 *
 * <pre>
 * ./mvnw -pl harness test -Dtest=DashboardDocsScreenshot -Dvalerix.docs.screenshot=$PWD/docs/dashboard.png
 * </pre>
 */
@Tag("slow")
@EnabledIfSystemProperty(named = "valerix.docs.screenshot", matches = ".+")
class DashboardDocsScreenshot {

    @TempDir
    Path dir;

    @TempDir
    Path profile;

    @Test
    void takeTheReadmeScreenshot() throws Exception {
        Path target = Path.of(System.getProperty("valerix.docs.screenshot"));
        ChromeDriver browser = HeadlessChromium.start(profile);
        ScheduledExecutorService load = Executors.newScheduledThreadPool(4);
        try (RunningDashboard running = RunningDashboard.start(dir, HealthConfig.defaults(), Duration.ofSeconds(2))) {
            load.scheduleAtFixedRate(
                    () -> RawHttp.get(running.inventory("/inventory/widget")), 0, 250, TimeUnit.MILLISECONDS);
            running.pair.gremlin().replaceSpec(GremlinSpec.parse("lognormal(40ms,0.6)"));
            AtomicInteger n = new AtomicInteger();
            load.scheduleAtFixedRate(
                    () -> RawHttp.post(
                            running.pair.orderUri(),
                            "/orders",
                            "{\"sku\":\"widget\",\"quantity\":1}",
                            "Idempotency-Key",
                            "docs-" + n.incrementAndGet()),
                    0,
                    250,
                    TimeUnit.MILLISECONDS);

            browser.get(Dashboard.url(running.pair.orderUri(), RunningDashboard.TOKEN)
                    .toString());
            new WebDriverWait(browser, Duration.ofSeconds(10)).until(textToBe(By.id("connection"), "Live"));
            pause(Duration.ofSeconds(45));
            running.pair
                    .gremlin()
                    .replaceSpec(
                            GremlinSpec.parse("lognormal(40ms,0.6); fixed(1500ms) p=0.2 route=\"GET /inventory/*\""));
            pause(Duration.ofSeconds(20));

            new Select(browser.findElement(By.id("sku"))).selectByValue("gadget");
            browser.findElement(By.id("buy")).click();
            new WebDriverWait(browser, Duration.ofSeconds(10))
                    .until(attributeToBe(By.id("order-panel"), "data-state", "CONFIRMED"));
            pause(Duration.ofSeconds(2));
            HeadlessChromium.screenshot(browser, target, 1366, 900, false);
        } finally {
            load.shutdownNow();
            browser.quit();
        }
    }

    private static void pause(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis()); // letting the charts fill for the picture, not synchronizing
    }
}
