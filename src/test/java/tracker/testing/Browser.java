package tracker.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One real headless Chromium for a test class, driven by Selenium through Debian's chromedriver
 * (both installed by {@link DebianPackages} when missing; the class is skipped, saying why, only
 * when they cannot be). The driver's path is given explicitly, so Selenium Manager never tries to
 * download a driver or a browser. A failed test leaves {@code target/screenshots/CLASS-TEST.png}.
 *
 * <pre>
 * &#64;RegisterExtension static final Browser BROWSER = new Browser();
 * </pre>
 */
public final class Browser implements BeforeAllCallback, AfterAllCallback, TestWatcher {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private ChromeDriverService service;
    private ChromeDriver driver;
    private Path profile;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        String missing = DebianPackages.ensure(CHROMEDRIVER, "chromium", "chromium-driver");
        Assumptions.assumeTrue(missing == null, () -> "no headless Chromium for the browser tests: " + missing);
        profile = Files.createTempDirectory("tracker-chromium");
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogOutput(System.err).withSilent(true).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,1000", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (driver != null) {
                driver.quit(); // ends chromium and its helpers
            }
        } finally {
            if (service != null) {
                service.stop(); // ends chromedriver
            }
            if (profile != null) {
                try (Stream<Path> files = Files.walk(profile)) {
                    files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (driver == null) {
            return;
        }
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Path file = dir.resolve(context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName() + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            System.err.println("screenshot of the failure: " + file.toAbsolutePath());
        } catch (IOException | RuntimeException e) {
            System.err.println("no screenshot of the failure: " + e);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Loads {@code url} afresh, even when only its #fragment differs from the page shown (which would not reload it). */
    public void open(String url) {
        driver.get("about:blank");
        driver.get(url);
    }

    /** Waits (up to 10 s) for an element that is displayed. */
    public WebElement await(String css) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    /** Waits (up to {@code timeout}) until {@code condition} holds, for conditions on the page beyond one element. */
    public void until(Duration timeout, String what, java.util.function.BooleanSupplier condition) {
        // a live page redraws: an element found a moment ago may be gone, which is a reason to look again
        new WebDriverWait(driver, timeout).withMessage(what).ignoring(StaleElementReferenceException.class)
                .until(d -> condition.getAsBoolean());
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    /** The console's errors since the last call (SEVERE: uncaught exceptions, failed loads, CSP violations). */
    public List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    /** Saves what the page looks like now (for a person to look at: target/screenshots/NAME.png). */
    public Path screenshot(String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
