package org.cmtp.it.support;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The machine's own Chromium and chromedriver (Debian's {@code chromium} and
 * {@code chromium-driver}, which {@code .ci/run} installs), headless. Both paths are given
 * explicitly so that Selenium Manager never tries to download a browser or driver: this
 * machine reaches no such site. {@code -Dit.chromium} and {@code -Dit.chromedriver} change them.
 */
public final class HeadlessChromium {

    private HeadlessChromium() {
    }

    /** @param port the loopback port chromedriver listens on (one of the test's own ports) */
    public static ChromeDriver start(Path downloads, int port) {
        return start(downloads, port, false);
    }

    /**
     * @param recordNetwork also keep the DevTools network events (every request with its URL,
     *                      headers and body) in the {@link LogType#PERFORMANCE} log, for a test
     *                      that checks what the page sends
     */
    public static ChromeDriver start(Path downloads, int port, boolean recordNetwork) {
        String driverPath = System.getProperty("it.chromedriver", "/usr/bin/chromedriver");
        String browserPath = System.getProperty("it.chromium", "/usr/bin/chromium");
        for (String path : new String[] {driverPath, browserPath}) {
            if (!new File(path).canExecute()) {
                throw new IllegalStateException(path + " is missing: install Debian's chromium and chromium-driver "
                        + "(apt-get install chromium chromium-driver; .ci/run does it)");
            }
        }
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, driverPath);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browserPath);
        // --no-sandbox: tests run as root here, where Chromium's sandbox cannot start;
        // --disable-dev-shm-usage: /dev/shm may be small in containers
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,900",
                "--lang=en-GB", "--disable-gpu", "--no-first-run", "--disable-extensions",
                // the servers under test serve HTTPS with a self-signed certificate of their own
                "--ignore-certificate-errors");
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloads.toAbsolutePath().toString(),
                "download.prompt_for_download", false));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        if (recordNetwork) {
            logs.enable(LogType.PERFORMANCE, Level.ALL);
            options.setExperimentalOption("perfLoggingPrefs", Map.of("enableNetwork", true, "enablePage", false));
        }
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(driverPath))
                .usingPort(port)
                .withTimeout(Duration.ofSeconds(60))
                .build();
        return new ChromeDriver(service, options);
    }
}
