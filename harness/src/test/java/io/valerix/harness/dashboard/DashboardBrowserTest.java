package io.valerix.harness.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;

import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.testing.RawHttp;
import io.valerix.inventory.StockLevel;
import io.valerix.order.Order;
import io.valerix.order.OrderStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium: the inventory light follows injected latency, a
 * double click on Buy places one order, the page reconnects after a restart. Screenshots of a
 * laptop-size and a phone-size page go to {@code target/dashboard-screenshots/}.
 */
@Tag("slow")
class DashboardBrowserTest {

    static final Path SHOTS = Path.of("target", "dashboard-screenshots");

    static ChromeDriver browser;

    @TempDir
    static Path profile;

    @TempDir
    Path dir;

    private RunningDashboard running;

    @AfterAll
    static void quitBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void start() {
        // The browser here, not in @BeforeAll, so a missing one skips each test with its reason in the report.
        if (browser == null) {
            browser = HeadlessChromium.start(profile);
        }
        browser.manage().logs().get(LogType.BROWSER); // reading the console empties it
        // A 1 s order timeout against 1.5 s of inventory latency: orders go PENDING first.
        running = RunningDashboard.start(dir, RunningDashboard.SHORT_WINDOW, Duration.ofSeconds(1));
    }

    @AfterEach
    void stopServices() {
        if (browser != null) {
            // Leave the page first, so it does not log failed reconnects into the next test's console.
            browser.get("about:blank");
            browser.manage().logs().get(LogType.BROWSER);
        }
        if (running != null) {
            running.close();
        }
    }

    @Test
    void inventoryLightTurnsRedUnderInjectedLatencyAndGreenWhenItIsRemoved() throws Exception {
        browser.get(
                Dashboard.url(running.pair.orderUri(), RunningDashboard.TOKEN).toString());
        waitFor(Duration.ofSeconds(10)).until(textToBe(By.id("connection"), "Live"));
        // The token came in the address; it is gone from it and was never part of the page.
        assertThat(browser.getCurrentUrl()).doesNotContain("token");
        assertThat(browser.getPageSource()).doesNotContain(RunningDashboard.TOKEN);
        waitFor(Duration.ofSeconds(10)).until(textToBePresentInElementLocated(By.id("gremlin-result"), "Unlocked"));

        try (Trickle trickle = Trickle.of(running.inventory("/inventory/widget"), Duration.ofMillis(100), 400)) {
            waitFor(Duration.ofSeconds(10)).until(textToBe(By.id("light-inventory"), "GREEN"));

            // When 1.5 s of latency is injected through the page (and so the admin API)...
            WebElement spec = browser.findElement(By.id("gremlin-input"));
            spec.clear();
            spec.sendKeys("fixed(1500ms)");
            browser.findElement(By.id("gremlin-apply")).click();
            waitFor(Duration.ofSeconds(10))
                    .until(textToBePresentInElementLocated(By.id("gremlin-result"), "Applied: fixed(1500ms)"));
            assertThat(running.pair.gremlin().spec().toText()).isEqualTo("fixed(1500ms)");

            // ...the inventory light turns RED within a few seconds, by label and by shape.
            waitFor(Duration.ofSeconds(10)).until(textToBe(By.id("light-inventory"), "RED"));
            assertThat(browser.findElement(By.id("scope-inventory")).getAttribute("data-light"))
                    .isEqualTo("RED");
            assertThat(browser.findElement(By.id("why-inventory")).getText())
                    .contains("at or over the 1 s threshold (GREEN again under 900 ms)");
            waitFor(Duration.ofSeconds(5)).until(textToBe(By.id("gremlin-spec"), "fixed(1500ms)"));
            HeadlessChromium.screenshot(browser, SHOTS.resolve("dashboard-red-laptop.png"), 1366, 900, false);

            // When it is removed, back to GREEN once the slow requests have left the 3 s window.
            browser.findElement(By.cssSelector(".presets [data-spec='none']")).click();
            waitFor(Duration.ofSeconds(10))
                    .until(textToBePresentInElementLocated(By.id("gremlin-result"), "Applied: none"));
            waitFor(Duration.ofSeconds(20)).until(textToBe(By.id("light-inventory"), "GREEN"));
            assertThat(browser.findElement(By.id("scope-inventory")).getAttribute("data-light"))
                    .isEqualTo("GREEN");
            assertThat(trickle.sent()).as("the lights judged real requests").isGreaterThan(20);
        }
        assertThat(severeConsoleEntries())
                .as("script errors or blocked resources in the page")
                .isEmpty();
    }

    @Test
    void doubleClickOnBuyWhileInventoryIsSlowPlacesOneOrderAndTakesStockOnce() throws Exception {
        // The reservation happens; its answer comes 1.5 s later, after the order's 1 s timeout.
        running.pair.gremlin().replaceSpec(GremlinSpec.parse("fixed(1500ms) after"));
        StockLevel before =
                running.pair.inventory().service().stockLevel("gadget").orElseThrow();
        long ordersBefore = ordersPlaced();
        long postsBefore = postOrderRequests();

        browser.get(
                Dashboard.url(running.pair.orderUri(), RunningDashboard.TOKEN).toString());
        waitFor(Duration.ofSeconds(10)).until(textToBe(By.id("connection"), "Live"));
        assertThat(browser.getPageSource()).doesNotContain(RunningDashboard.TOKEN);

        waitFor(Duration.ofSeconds(10))
                .until(d -> new Select(d.findElement(By.id("sku"))).getOptions().size() == 3);
        new Select(browser.findElement(By.id("sku"))).selectByValue("gadget");
        WebElement quantity = browser.findElement(By.id("quantity"));
        quantity.clear();
        quantity.sendKeys("2");

        new Actions(browser).doubleClick(browser.findElement(By.id("buy"))).perform();

        waitFor(Duration.ofSeconds(10)).until(attributeToBe(By.id("order-panel"), "data-state", "PENDING"));
        assertThat(browser.findElement(By.id("order-message")).getText()).contains("Inventory is slow to answer");
        waitFor(Duration.ofSeconds(20)).until(attributeToBe(By.id("order-panel"), "data-state", "CONFIRMED"));

        String orderId = browser.findElement(By.id("order-id")).getText();
        Order order = running.pair.order().service().find(orderId).orElseThrow();
        assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(order.sku()).isEqualTo("gadget");
        assertThat(order.quantity()).isEqualTo(2);
        assertThat(ordersPlaced()).as("exactly one order").isEqualTo(ordersBefore + 1);
        StockLevel after =
                running.pair.inventory().service().stockLevel("gadget").orElseThrow();
        assertThat(after.available()).as("stock fell once").isEqualTo(before.available() - 2);
        assertThat(after.reserved()).isEqualTo(before.reserved() + 2);
        // Both clicks reached the order service, with one key: the second was answered, not placed.
        assertThat(postOrderRequests()).isEqualTo(postsBefore + 2);
        assertThat(browser.findElement(By.id("order-note")).getText()).contains("sent 2 times with the same order id");
        assertThat(browser.findElement(By.id("order-state")).getText()).isEqualTo("CONFIRMED");
        assertThat(browser.findElement(By.id("order-message")).getText()).startsWith("Confirmed");
        assertThat(browser.findElement(By.id("buy")).getText()).isEqualTo("New order");
        waitFor(Duration.ofSeconds(5))
                .until(textToBe(
                        By.cssSelector("#stock-table tr[data-sku='gadget'] td:nth-child(2)"),
                        Long.toString(after.available())));

        HeadlessChromium.screenshot(browser, SHOTS.resolve("dashboard-laptop.png"), 1366, 900, false);
        HeadlessChromium.screenshot(browser, SHOTS.resolve("dashboard-phone.png"), 390, 844, true);
        assertThat(severeConsoleEntries())
                .as("script errors or blocked resources in the page")
                .isEmpty();
    }

    @Test
    void withoutTheTokenThePageIsLockedAndUnlocksWithThePastedToken() {
        browser.get(running.order("/dashboard").toString());

        // Nothing from the API without the token: locked, and the controls ask for it.
        waitFor(Duration.ofSeconds(10)).until(textToBe(By.id("connection"), "Locked: enter the admin token"));
        assertThat(browser.findElement(By.id("token-form")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("gremlin-form")).isDisplayed()).isFalse();
        assertThat(browser.findElements(By.cssSelector("#stock-table tr[data-sku]")))
                .isEmpty();

        browser.findElement(By.id("token-input")).sendKeys(RunningDashboard.TOKEN);
        browser.findElement(By.cssSelector("#token-form button[type='submit']")).click();

        waitFor(Duration.ofSeconds(10)).until(textToBe(By.id("connection"), "Live"));
        waitFor(Duration.ofSeconds(10))
                .until(d -> !d.findElements(By.cssSelector("#stock-table tr[data-sku]"))
                        .isEmpty());
        assertThat(browser.getCurrentUrl()).doesNotContain("token");
        assertThat(browser.getPageSource()).doesNotContain(RunningDashboard.TOKEN);
    }

    @Test
    void aTokenInTheQueryIsNeverUsedAndIsRemovedFromTheAddress() {
        browser.get(running.order("/dashboard?token=" + RunningDashboard.TOKEN).toString());

        waitFor(Duration.ofSeconds(10)).until(textToBe(By.id("connection"), "Locked: enter the admin token"));
        assertThat(browser.getCurrentUrl()).doesNotContain("token");
    }

    @Test
    void pageReconnectsByItselfWhenTheServerRestarts() {
        browser.get(
                Dashboard.url(running.pair.orderUri(), RunningDashboard.TOKEN).toString());
        waitFor(Duration.ofSeconds(10)).until(textToBe(By.id("connection"), "Live"));
        int orderPort = running.pair.order().port();
        int inventoryPort = running.pair.inventory().port();
        String updated = browser.findElement(By.id("updated")).getText();

        running.close();
        running = null;
        waitFor(Duration.ofSeconds(10))
                .until(d -> !"live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));

        running = RunningDashboard.start(
                dir, RunningDashboard.SHORT_WINDOW, Duration.ofSeconds(1), orderPort, inventoryPort);
        waitFor(Duration.ofSeconds(20)).until(textToBe(By.id("connection"), "Live"));
        waitFor(Duration.ofSeconds(5))
                .until(d -> !d.findElement(By.id("updated")).getText().equals(updated));
    }

    private static WebDriverWait waitFor(Duration limit) {
        WebDriverWait wait = new WebDriverWait(browser, limit, Duration.ofMillis(100));
        wait.withMessage(() -> "page state: connection=" + text("connection") + ", inventory=" + text("light-inventory")
                + ", order panel=" + text("order-state") + " / " + text("order-message") + ", gremlin="
                + text("gremlin-result"));
        return wait;
    }

    private static String text(String id) {
        try {
            return browser.findElement(By.id(id)).getText();
        } catch (RuntimeException e) {
            return "(" + e.getClass().getSimpleName() + ")";
        }
    }

    /** Errors in the page's console, less the 409 that the second click of a double click gets by design. */
    private static List<String> severeConsoleEntries() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(e -> !(e.getMessage().contains("/orders - ")
                        && e.getMessage().contains("status of 409")))
                .map(LogEntry::getMessage)
                .toList();
    }

    private long ordersPlaced() {
        return running.pair.order().service().countByStatus().values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /** POST /orders requests the order service answered, whatever the status, from its never-reset counters. */
    private long postOrderRequests() {
        return RawHttp.get(running.order("/metrics"))
                .body()
                .lines()
                .filter(line -> line.startsWith("valerix_http_server_requests_total{")
                        && line.contains("route=\"/orders\"")
                        && line.contains("method=\"POST\""))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
