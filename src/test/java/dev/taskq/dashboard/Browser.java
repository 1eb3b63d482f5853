package dev.taskq.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver, for the dashboard's tests and bench
 * figures. Both binaries come from the system (`.ci/run` installs the packages); Selenium Manager
 * never runs, since the driver's path is given, so nothing is ever downloaded. Each browser gets a
 * fresh profile folder and the flags that keep it off the network.
 */
public final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of(System.getProperty("taskq.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER =
      Path.of(System.getProperty("taskq.chromedriver", "/usr/bin/chromedriver"));

  /** Generous: the machine is shared, and a page update normally takes well under a second. */
  static final Duration WAIT = Duration.ofSeconds(20);

  public final WebDriver driver;
  private final ChromeDriverService service;

  private Browser(ChromeDriverService service, WebDriver driver) {
    this.service = service;
    this.driver = driver;
  }

  /**
   * Skips the calling test when no browser is installed, with the reason; under {@code CI=true} a
   * missing browser fails instead, since CI installs it and a silent skip would hide the loss.
   */
  public static void assumeInstalled() {
    String missing = missing();
    if (missing == null) {
      return;
    }
    String why =
        missing
            + ": install Debian's chromium and chromium-driver packages (bash .ci/run does), or"
            + " point -Dtaskq.chromium / -Dtaskq.chromedriver at them";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail("CI=true and the dashboard's browser tests cannot run: " + why);
    }
    Assumptions.abort("browser tests skipped: " + why);
  }

  public static String missing() {
    if (!Files.isExecutable(CHROMIUM)) {
      return "no " + CHROMIUM;
    }
    if (!Files.isExecutable(CHROMEDRIVER)) {
      return "no " + CHROMEDRIVER;
    }
    return null;
  }

  public static Browser start(Path profileParent) throws IOException {
    Path profile = Files.createTempDirectory(profileParent, "chromium-profile");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(
                profile.resolveSibling(profile.getFileName() + "-chromedriver.log").toFile())
            .build();
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1500,950",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    o.setCapability("goog:loggingPrefs", logs);
    service.start();
    try {
      return new Browser(service, new ChromeDriver(service, o));
    } catch (RuntimeException e) {
      service.stop();
      throw e;
    }
  }

  public void open(String url) {
    driver.get(url);
  }

  /** Waits until {@code check} holds (non-null, non-false); the message says what was seen. */
  public <T> T until(String what, Function<WebDriver, T> check) {
    try {
      return new WebDriverWait(driver, WAIT, Duration.ofMillis(50)).until(check);
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(
          "waited " + WAIT.toSeconds() + " s for " + what + "; the page showed:\n" + pageText(), e);
    }
  }

  /** The card of task {@code id} in column {@code column}, once it is there. */
  public WebElement card(String column, String id) {
    return until(
        "card " + id + " in column " + column,
        d -> {
          List<WebElement> found =
              d.findElements(
                  By.cssSelector(
                      "section[data-column='" + column + "'] article[data-id='" + id + "']"));
          return found.isEmpty() ? null : found.get(0);
        });
  }

  public Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  public String pageText() {
    try {
      return driver.findElement(By.tagName("body")).getText();
    } catch (RuntimeException e) {
      return "(no page: " + e.getMessage() + ")";
    }
  }

  /** Console messages of the page: script errors and CSP violations show up here. */
  public List<String> console() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(LogEntry::getMessage)
        .toList();
  }

  public void screenshot(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] png = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    Files.write(file, png);
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
