package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.cmtp.client.CmtpClient;
import org.cmtp.client.MailSender;
import org.cmtp.client.OutgoingMail;
import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.HeadlessChromium;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.message.MailAddress;
import org.cmtp.protocol.StatusWord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The webmail's figures (docs/BENCHMARKS.md, "Webmail"), not a test: it prints them and
 * fails only if the page does not work. Run alone:
 * {@code mvn -B -o verify -pl cmtp-it -am -DskipUnitTests -Dit.test=WebmailBenchmark}.
 * Each figure is measured {@value #RUNS} times in one headless Chromium, from the user's
 * action to the page showing the result (polled every 2 ms):
 * <ul>
 *   <li>sign-in: the click on "Sign in" until the mailbox shows (challenge, xzibit, scrypt,
 *       signature, session);</li>
 *   <li>inbox: from then until the 100 subjects of a full page are decrypted and shown
 *       (100 bodies fetched and opened);</li>
 *   <li>1 MiB message: following its link until its text is shown (fetch, open, decode, draw).</li>
 * </ul>
 */
class WebmailBenchmark {

    private static final int RUNS = 5;
    private static final String DOMAIN = "bench.test";
    private static final String PASSWORD = "benchmark passphrase";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    @Test
    void webmailFigures() throws Exception {
        LaunchedServer server = servers.newServer("webmail-bench", DOMAIN, "bench-admin-pw")
                .with("CMTP_SIGNIN_RATE", "1000");
        servers.start(server);
        AdminClient admin = server.admin();
        admin.createAccount("reader", PASSWORD);
        byte[] serverKey = server.serverKey();
        MailAddress reader = new MailAddress("reader", DOMAIN);
        try (CmtpClient client = CmtpClient.connect(new InetSocketAddress(server.host(), server.cmtpPort()), TIMEOUT,
                TIMEOUT)) {
            MailSender sender = new MailSender(client, serverKey, Clock.systemUTC());
            // the oldest: 1 MiB of text, on the inbox's second page (so that opening it is cold)
            StringBuilder big = new StringBuilder(1 << 20);
            while (big.length() < (1 << 20)) {
                big.append("Line ").append(big.length()).append(" of a long message, to be read in the page.\n");
            }
            big.setLength(1 << 20);
            send(sender, reader, "The long one", big.toString());
            for (int i = 1; i <= 100; i++) {
                send(sender, reader, "Subject number " + i, "Short message " + i + ".\n");
            }
        }
        long bigId = admin.get("/api/accounts/reader/messages?first=0&max=200").json().asJsonArray().stream()
                .map(m -> m.asJsonObject()).max(java.util.Comparator.comparingLong(m -> m.getJsonNumber("size").longValue()))
                .orElseThrow().getJsonNumber("id").longValue();

        ChromeDriver browser = HeadlessChromium.start(Path.of("target/webmail-bench-downloads"), FreePorts.take());
        try {
            browser.get(server.http().resolve("/mail/").toString());
            // the page size is a preference the page keeps: 100 from now on
            signIn(browser);
            ready(browser, "inbox");
            new Select(browser.findElement(By.id("page-size"))).selectByValue("100");
            ready(browser, "inbox");
            assertEquals(100, browser.findElements(By.cssSelector("#view a[data-id]")).size());
            browser.findElement(By.id("signout")).click();

            List<Long> signIns = new ArrayList<>();
            List<Long> inboxes = new ArrayList<>();
            List<Long> bigOpens = new ArrayList<>();
            for (int run = 0; run < RUNS; run++) {
                poll(browser).until(d -> d.findElement(By.id("signin-address")).isDisplayed());
                long start = System.nanoTime();
                signIn(browser);
                poll(browser).until(d -> d.findElement(By.id("app")).isDisplayed());
                long signedIn = System.nanoTime();
                ready(browser, "inbox");
                long inbox = System.nanoTime();
                String text = browser.findElement(By.cssSelector("#view table")).getText();
                assertTrue(text.contains("Subject number 100") && text.contains("Subject number 2"), text);
                assertTrue(!text.contains("decrypting"), text);

                long open = System.nanoTime();
                ((JavascriptExecutor) browser).executeScript("location.hash = '#/message/" + bigId + "'");
                ready(browser, "message-" + bigId);
                long shown = System.nanoTime();
                String shownText = (String) ((JavascriptExecutor) browser).executeScript(
                        "return document.getElementById('msg-text').textContent.slice(0, 200)");
                assertTrue(shownText.startsWith("Line 5 of a long message"), shownText);
                signIns.add(signedIn - start);
                inboxes.add(inbox - signedIn);
                bigOpens.add(shown - open);
                browser.findElement(By.id("signout")).click();
            }
            print("sign-in (click to mailbox shown)", signIns, 1500);
            print("inbox of 100 subjects decrypted and shown", inboxes, 1000);
            print("1 MiB message decrypted and shown", bigOpens, 500);
        } finally {
            browser.quit();
        }
    }

    private static void send(MailSender sender, MailAddress to, String subject, String text) throws Exception {
        assertEquals(StatusWord.SUCCESS, sender.send(OutgoingMail.from(new MailAddress("writer", "elsewhere.test"))
                .to(to).subject(subject).text(text).build()).get(0).status());
    }

    private static void signIn(ChromeDriver browser) {
        browser.findElement(By.id("signin-address")).clear();
        browser.findElement(By.id("signin-address")).sendKeys("reader@" + DOMAIN);
        browser.findElement(By.id("signin-password")).sendKeys(PASSWORD);
        browser.findElement(By.id("signin-button")).click();
    }

    private static void ready(ChromeDriver browser, String view) {
        poll(browser).until(d -> view.equals(d.findElement(By.id("view")).getAttribute("data-ready")));
    }

    private static WebDriverWait poll(WebDriver browser) {
        WebDriverWait wait = new WebDriverWait(browser, TIMEOUT);
        wait.pollingEvery(Duration.ofMillis(2));
        return wait;
    }

    private static void print(String what, List<Long> nanos, long goalMillis) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        double median = sorted.get(sorted.size() / 2) / 1e6;
        System.out.printf("webmail %-45s median %7.1f ms  min %7.1f  max %7.1f  (%d runs; goal <= %d ms: %s)%n", what,
                median, sorted.get(0) / 1e6, sorted.get(sorted.size() - 1) / 1e6, sorted.size(), goalMillis,
                median <= goalMillis ? "met" : "NOT met");
    }
}
