package dev.tokenauth.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven by Selenium through Debian's chromedriver: no browser or driver is
 * downloaded. Each instance starts with a fresh profile, removed again by {@link #close}.
 */
final class Chromium implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of(System.getProperty("tokenauth.it.screenshots", "target/screenshots"));

    private final Path profile;
    private final ChromeDriver driver;
    private final WebDriverWait wait;

    Chromium() {
        try {
            profile = Files.createTempDirectory("tokenauth-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("tokenauth.it.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("tokenauth.it.chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    }

    WebDriver driver() {
        return driver;
    }

    /** A fresh start: no cookies, so no session. */
    void forgetSession(String anyUrlOfTheSite) {
        driver.get(anyUrlOfTheSite);
        driver.manage().deleteAllCookies();
    }

    WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    void waitUntilGone(By by) {
        wait.until(ExpectedConditions.invisibilityOfElementLocated(by));
    }

    void waitForText(By by, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    void waitForPath(String pathSuffix) {
        wait.until(d -> java.net.URI.create(d.getCurrentUrl()).getPath().endsWith(pathSuffix));
    }

    /** Accepts the confirm() dialog the page opened. */
    void accept() {
        wait.until(ExpectedConditions.alertIsPresent()).accept();
    }

    /** Answers the page's prompt with {@code answer}. */
    void answerPrompt(String answer) {
        org.openqa.selenium.Alert prompt = wait.until(ExpectedConditions.alertIsPresent());
        prompt.sendKeys(answer);
        prompt.accept();
    }

    /** Saves what the browser shows as {@code target/screenshots/<name>.png}, for a person to look at. */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A leftover temporary profile is harmless.
            }
        }
    }
}
