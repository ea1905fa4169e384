package org.cmtp.it.support;

import java.net.URI;
import java.time.Duration;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The webmail (/mail/) in a headless Chromium, for tests that need a signed-in page and one view of it. */
public final class WebmailPage {

    private final ChromeDriver browser;
    private final WebDriverWait wait;

    private WebmailPage(ChromeDriver browser) {
        this.browser = browser;
        // scrypt in the page takes a few seconds on a loaded machine
        this.wait = new WebDriverWait(browser, Duration.ofSeconds(90));
        wait.ignoring(StaleElementReferenceException.class); // the inbox is drawn anew when mail arrives
    }

    /** Opens {@code server}/mail/ and signs in; returns once the inbox is drawn. */
    public static WebmailPage signIn(ChromeDriver browser, URI server, String address, String password) {
        WebmailPage page = new WebmailPage(browser);
        browser.get(server.resolve("/mail/").toString());
        page.wait.until(d -> d.findElement(By.id("signin-address")).isDisplayed());
        browser.findElement(By.id("signin-address")).sendKeys(address);
        browser.findElement(By.id("signin-password")).sendKeys(password);
        browser.findElement(By.id("signin-button")).click();
        page.awaitView("inbox");
        return page;
    }

    /** Waits until the page has drawn {@code view} (inbox, write, message, ...). */
    public void awaitView(String view) {
        wait.until(d -> view.equals(d.findElement(By.id("view")).getAttribute("data-ready")));
    }

    /** Waits until the text of the element {@code css} contains {@code part}; returns that text. */
    public String awaitText(String css, String part) {
        return wait.until(d -> {
            String text = d.findElement(By.cssSelector(css)).getText();
            return text.contains(part) ? text : null;
        });
    }

    /** Waits until {@code condition} gives a value other than null or false. */
    public <T> T until(Function<WebDriver, T> condition) {
        return wait.until(condition);
    }

    public ChromeDriver browser() {
        return browser;
    }
}
