package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.cmtp.client.CmtpClient;
import org.cmtp.client.MailSender;
import org.cmtp.client.OutgoingMail;
import org.cmtp.protocol.ProofOfWork;
import org.cmtp.client.ReceivedMail;
import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.crypto.WrongPasswordException;
import org.cmtp.crypto.Xzibit;
import org.cmtp.it.support.Directories;
import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.HeadlessChromium;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.TestHttp;
import org.cmtp.it.support.UserApiClient;
import org.cmtp.message.Attachment;
import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;
import org.cmtp.message.PlaintextBody;
import org.cmtp.protocol.StatusWord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The webmail (/mail/) in two real headless Chromiums against a server started as an
 * operator starts it: alice writes to bob with an attachment, bob sees it arrive without
 * reloading, reads it, downloads the attachment byte for byte and replies, alice reads the
 * reply; a hostile message shows as inert text, a version-0 notice as not encrypted; the
 * password changes in the page. Every request both browsers make is recorded (DevTools
 * network events) and must not carry a password or a secret key in any encoding. Screenshots
 * of every page at 1280×800 and 390 px go to {@code target/webmail-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebmailIT {

    private static final String DOMAIN = "webmail.test";
    private static final String ADMIN_PASSWORD = "webmail-admin-pw";
    private static final String ALICE_PASSWORD = "alice's passphrase 1";
    private static final String ALICE_NEW_PASSWORD = "alice's brand new passphrase";
    private static final String BOB_PASSWORD = "bob-secret-passphrase";
    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static final Path SCREENSHOTS = Path.of("target/webmail-screenshots");
    private static final Path ALICE_DOWNLOADS = Path.of("target/webmail-downloads/alice");
    private static final Path BOB_DOWNLOADS = Path.of("target/webmail-downloads/bob");
    private static final Path FILES = Path.of("target/webmail-files");

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private static LaunchedServer server;
    private static AdminClient admin;
    private static byte[] serverKey;
    private static ChromeDriver alice;
    private static ChromeDriver bob;
    /** Every request either browser made: URLs, headers and bodies as text, and bodies as bytes. */
    private static final List<String> sentText = new ArrayList<>();
    private static final List<byte[]> sentBytes = new ArrayList<>();
    private static final List<String> requestLines = new ArrayList<>();
    /** The last Authorization header each browser sent. */
    private static final Map<ChromeDriver, String> bearer = new java.util.HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        for (Path dir : new Path[] {SCREENSHOTS, ALICE_DOWNLOADS, BOB_DOWNLOADS, FILES}) {
            Directories.delete(dir);
            Files.createDirectories(dir);
        }
        server = servers.newServer("webmail", DOMAIN, ADMIN_PASSWORD)
                .with("CMTP_MAX_MESSAGE_SIZE", "4194304")
                .with("CMTP_SIGNIN_RATE", "1000");
        servers.start(server);
        admin = server.admin();
        serverKey = server.serverKey();
        admin.createAccount("alice", ALICE_PASSWORD);
        admin.createAccount("bob", BOB_PASSWORD);
        alice = HeadlessChromium.start(ALICE_DOWNLOADS, FreePorts.take(), true);
        servers.manage(alice::quit);
        bob = HeadlessChromium.start(BOB_DOWNLOADS, FreePorts.take(), true);
        servers.manage(bob::quit);
    }

    @Test
    @Order(1)
    void thePageIsServedWithAStrictPolicyThatAllowsOnlyWebAssemblyBeyondTheConsoles() throws Exception {
        HttpResponse<String> page = TestHttp.newClient().send(HttpRequest.newBuilder(server.http().resolve("/mail/"))
                .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        HttpResponse<String> console = TestHttp.newClient().send(HttpRequest.newBuilder(server.http().resolve("/"))
                .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        String consolePolicy = console.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertEquals(consolePolicy.replace("script-src 'self';", "script-src 'self' 'wasm-unsafe-eval';"), policy);
        assertFalse(policy.contains("unsafe-inline") || policy.contains("'unsafe-eval'"), policy);
        assertFalse(page.body().contains("http://") || page.body().contains("https://"), "no other origin in the page");
        HttpResponse<String> library = TestHttp.newClient().send(HttpRequest.newBuilder(
                server.http().resolve("/mail/vendor/libsodium-wrappers.js")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, library.statusCode());
        assertTrue(library.headers().firstValue("Content-Type").orElse("").contains("javascript"),
                "a module script needs a JavaScript type: " + library.headers().map());
    }

    @Test
    @Order(2)
    void aliceWritesToBobWhoReadsDownloadsAndRepliesWithoutReloading() throws Exception {
        // sign-in page, a wrong password, then alice signed in
        open(alice);
        shot(alice, "sign-in");
        signIn(alice, "alice@" + DOMAIN, "not alice's password");
        WebElement error = visible(alice, By.id("signin-error"));
        assertTrue(error.getText().contains("wrong password"), error.getText());
        shot(alice, "sign-in-wrong-password");
        signIn(alice, "alice@" + DOMAIN, ALICE_PASSWORD);
        ready(alice, "inbox");
        assertTrue(text(alice, "#view").contains("No mail yet"), text(alice, "#view"));
        shot(alice, "inbox-empty");

        // bob with the keyboard only: the address field has the focus, Tab to the password, Enter
        open(bob);
        assertEquals("signin-address", script(bob, "return document.activeElement.id"));
        bob.switchTo().activeElement().sendKeys("bob@" + DOMAIN, Keys.TAB);
        assertEquals("signin-password", script(bob, "return document.activeElement.id"));
        bob.switchTo().activeElement().sendKeys(BOB_PASSWORD, Keys.ENTER);
        ready(bob, "inbox");
        script(bob, "window.__notReloaded = 42");
        drain();

        // alice writes to bob (and to an address without a key) with an attachment
        byte[] report = new byte[300_000];
        new Random(16).nextBytes(report);
        Path reportFile = FILES.resolve("quarterly report.bin");
        Files.write(reportFile, report);
        click(alice, By.cssSelector("a[data-section='write']"));
        ready(alice, "write");
        alice.findElement(By.id("w-to")).sendKeys("bob@" + DOMAIN + ", nobody@" + DOMAIN);
        alice.findElement(By.id("w-subject")).sendKeys("Numbers for Q4");
        alice.findElement(By.id("w-text")).sendKeys("Hi Bob,\nthe report is attached.\nAlice");
        alice.findElement(By.id("w-files")).sendKeys(reportFile.toAbsolutePath().toString());
        waitFor(alice, d -> text(d, "#files").contains("quarterly report.bin"));
        assertEveryControlIsLabelled(alice);
        shot(alice, "write");
        click(alice, By.id("send"));
        waitFor(alice, d -> d.findElements(By.cssSelector("#send-status li")).size() == 2
                && !text(d, "#send-status").contains("sealing"));
        String outcome = text(alice, "#send-status");
        assertTrue(outcome.contains("bob@" + DOMAIN + ": delivered"), outcome);
        assertTrue(outcome.contains("nobody@" + DOMAIN + ": no key (not sent)"), outcome);
        shot(alice, "sent");

        // what the page sealed opens with our Java code and bob's key
        Ed25519KeyPair bobKeys = keys("bob", BOB_PASSWORD);
        long id = admin.get("/api/accounts/bob/messages").json().asJsonArray().getJsonObject(0)
                .getJsonNumber("id").longValue();
        ReceivedMail sealedInPage = ReceivedMail.open(admin.getBytes("/api/accounts/bob/messages/" + id + "/raw"), bobKeys);
        assertEquals("Numbers for Q4", sealedInPage.body().subject());
        assertEquals("alice@" + DOMAIN, sealedInPage.body().replyTo());
        assertEquals("quarterly report.bin", sealedInPage.attachments().get(0).fileName());
        assertArrayEquals(report, sealedInPage.attachments().get(0).data());

        // bob's inbox shows it without a reload, unread, subject decrypted
        WebElement row = waitFor(bob, d -> d.findElements(By.cssSelector("tr[data-id='" + id + "']")).stream()
                .filter(r -> r.getText().contains("Numbers for Q4")).findFirst().orElse(null));
        assertEquals("unread", row.getAttribute("class"));
        assertTrue(row.getText().contains("alice@" + DOMAIN), row.getText());
        assertTrue(row.getText().contains("1 file"), "the attachment is shown in the inbox: " + row.getText());
        assertEquals(42L, script(bob, "return window.__notReloaded"), "the page was not reloaded");
        assertTrue(text(bob, "#notice").contains("New message from alice@" + DOMAIN), text(bob, "#notice"));
        shot(bob, "inbox-new-mail");

        // bob reads it and downloads the attachment under its real name, byte for byte
        click(bob, By.cssSelector("a[data-id='" + id + "']"));
        ready(bob, "message-" + id);
        assertEquals("Numbers for Q4", text(bob, "#msg-subject"));
        assertEquals("Hi Bob,\nthe report is attached.\nAlice", text(bob, "#msg-text"));
        assertEquals("alice@" + DOMAIN, text(bob, "#msg-from"));
        assertTrue(bob.findElements(By.id("msg-plain")).isEmpty(), "sealed mail is not marked as plaintext");
        click(bob, By.cssSelector("button.download[data-name='quarterly report.bin']"));
        Path downloaded = BOB_DOWNLOADS.resolve("quarterly report.bin");
        waitFor(bob, d -> Files.isRegularFile(downloaded) && size(downloaded) == report.length);
        assertArrayEquals(report, Files.readAllBytes(downloaded));
        shot(bob, "read");

        // forwarding takes the attachment along; back to the message, then reply
        click(bob, By.id("forward"));
        ready(bob, "write");
        assertEquals("Fwd: Numbers for Q4", bob.findElement(By.id("w-subject")).getAttribute("value"));
        assertTrue(text(bob, "#files").contains("quarterly report.bin"), text(bob, "#files"));
        assertTrue(bob.findElement(By.id("w-text")).getAttribute("value").contains("> the report is attached."));
        bob.navigate().back();
        ready(bob, "message-" + id);

        // bob replies; alice sees the reply arrive and reads it
        click(bob, By.id("reply"));
        ready(bob, "write");
        assertEquals("alice@" + DOMAIN, bob.findElement(By.id("w-to")).getAttribute("value"));
        assertEquals("Re: Numbers for Q4", bob.findElement(By.id("w-subject")).getAttribute("value"));
        WebElement text = bob.findElement(By.id("w-text"));
        text.sendKeys(org.openqa.selenium.Keys.CONTROL, org.openqa.selenium.Keys.HOME);
        text.sendKeys("Thanks, got it.");
        shot(bob, "reply");
        click(bob, By.id("send"));
        waitFor(bob, d -> text(d, "#send-status").contains("alice@" + DOMAIN + ": delivered"));

        click(alice, By.cssSelector("a[data-section='inbox']"));
        waitFor(alice, d -> text(d, "#view table").contains("Re: Numbers for Q4"));
        shot(alice, "inbox");
        openMessage(alice, "Re: Numbers for Q4");
        waitFor(alice, d -> text(d, "#view").contains("Thanks, got it."));
        assertTrue(text(alice, "#msg-text").startsWith("Thanks, got it."), text(alice, "#msg-text"));
        assertTrue(text(alice, "#msg-text").contains("> the report is attached."), text(alice, "#msg-text"));
        shot(alice, "read-reply");

        // mark unread from the message; the inbox then shows it unread
        click(alice, By.id("mark-unread"));
        waitFor(alice, d -> text(d, "#notice").contains("Marked unread"));
        drain();
    }

    @Test
    @Order(3)
    void hostileAndUnencryptedMessagesShowAsInertTextAndDeleteAsksFirst() throws Exception {
        String subject = "<script>window.__pwned=1</script> invoice\u202Efdp.exe";
        String body = "<img src=x onerror=\"window.__pwned=2\"> and \u202Ereversed\u202C <b>bold</b>";
        MailAddress aliceAddress = new MailAddress("alice", DOMAIN);
        try (CmtpClient client = CmtpClient.connect(new InetSocketAddress(server.host(), server.cmtpPort()), TIMEOUT,
                TIMEOUT)) {
            assertEquals(StatusWord.SUCCESS, new MailSender(client, serverKey, Clock.systemUTC()).send(OutgoingMail
                    .from(new MailAddress("mallory", "evil.test")).to(aliceAddress).subject(subject).text(body)
                    .attach(new Attachment("<img src=x onerror=alert(1)>\u202Etxt.exe", new byte[] {1, 2, 3}))
                    .build()).get(0).status());
            // a delivery notice: version 0, from the server itself, in the clear
            byte[] notice = new PlaintextBody("", "Delivery failed", "2026-12-04T20:00:00Z", List.of(),
                    "Your message to zoe@nowhere.test could not be delivered.").encode();
            assertEquals(StatusWord.SUCCESS, client.mail(new Message(Message.PLAINTEXT, aliceAddress,
                    new MailAddress("", DOMAIN), "", notice, List.of()).encode(), ProofOfWork.none(), serverKey).word());
        }
        click(alice, By.cssSelector("a[data-section='inbox']"));
        waitFor(alice, d -> text(d, "#view table").contains("<script>") && text(d, "#view table").contains("Delivery failed"));
        assertTrue(text(alice, "#view table").contains("not encrypted"), "the notice is marked in the inbox");
        shot(alice, "inbox-hostile-and-notice");
        openMessage(alice, "<script>");
        waitFor(alice, d -> d.findElements(By.cssSelector("#view .download")).size() == 1);
        assertEquals("<script>window.__pwned=1</script> invoice\u27e6U+202E\u27e7fdp.exe", text(alice, "#msg-subject"));
        assertTrue(text(alice, "#msg-text").startsWith("<img src=x onerror=\"window.__pwned=2\"> and \u27e6U+202E\u27e7"),
                text(alice, "#msg-text"));
        assertTrue(text(alice, "#view .attachments").contains("<img src=x onerror=alert(1)>\u27e6U+202E\u27e7txt.exe"),
                text(alice, "#view .attachments"));
        assertEquals(0L, script(alice, "return document.querySelectorAll('#view img, #view script, #view b').length"));
        assertNull(script(alice, "return window.__pwned === undefined ? null : window.__pwned"), "no script of the message ran");
        shot(alice, "read-hostile");

        // delete asks first; "no" keeps it, "yes" deletes it
        click(alice, By.id("delete"));
        alice.switchTo().alert().dismiss();
        assertTrue(alice.findElement(By.id("msg-subject")).isDisplayed());
        click(alice, By.id("delete"));
        alice.switchTo().alert().accept();
        waitFor(alice, d -> text(d, "#notice").contains("Message deleted"));
        ready(alice, "inbox");
        assertFalse(text(alice, "#view").contains("<script>"), "deleted");

        // the notice reads as not encrypted
        openMessage(alice, "Delivery failed");
        WebElement plain = visible(alice, By.id("msg-plain"));
        assertTrue(plain.getText().startsWith("Not encrypted"), plain.getText());
        assertTrue(text(alice, "#msg-text").contains("could not be delivered"));
        shot(alice, "read-not-encrypted");
        drain();
    }

    @Test
    @Order(4)
    void alicesChangesHerPasswordInThePageListsHerSessionsAndSignsOut() throws Exception {
        click(alice, By.cssSelector("a[data-section='settings']"));
        ready(alice, "settings");
        assertTrue(text(alice, "table.sessions").contains("this one"), text(alice, "table.sessions"));
        assertEveryControlIsLabelled(alice);
        alice.findElement(By.id("pw-current")).sendKeys("a wrong current password");
        alice.findElement(By.id("pw-new")).sendKeys(ALICE_NEW_PASSWORD);
        alice.findElement(By.id("pw-repeat")).sendKeys(ALICE_NEW_PASSWORD);
        click(alice, By.id("change-password"));
        waitFor(alice, d -> text(d, "#password-status").contains("current password is wrong"));
        alice.findElement(By.id("pw-current")).clear();
        alice.findElement(By.id("pw-current")).sendKeys(ALICE_PASSWORD);
        click(alice, By.id("change-password"));
        waitFor(alice, d -> text(d, "#password-status").contains("Password changed"));
        shot(alice, "settings");
        // the server now holds an xzibit that opens with the new password only, to the same key
        assertThrows(WrongPasswordException.class, () -> keys("alice", ALICE_PASSWORD));
        Ed25519KeyPair aliceKeys = keys("alice", ALICE_NEW_PASSWORD);
        assertEquals(admin.get("/api/accounts/alice").json().asJsonObject().getString("publicKey"),
                HexFormat.of().formatHex(aliceKeys.publicKey()));

        click(alice, By.id("signout"));
        visible(alice, By.id("signin-address"));
        assertTrue(text(alice, "#signin-error").contains("signed out"), text(alice, "#signin-error"));
        assertNull(script(alice, "return document.getElementById('view').firstChild"), "nothing of the mail is left");
        signIn(alice, "alice@" + DOMAIN, ALICE_NEW_PASSWORD);
        ready(alice, "inbox");

        // bob revokes his own session: signed out, and the token is dead on the server
        click(bob, By.cssSelector("a[data-section='settings']"));
        ready(bob, "settings");
        click(bob, By.cssSelector("tr[data-session] button"));
        visible(bob, By.id("signin-address"));
        assertTrue(text(bob, "#signin-error").contains("revoked this session"), text(bob, "#signin-error"));
        drain();
        String token = bearer.get(bob);
        assertTrue(token != null && token.startsWith("Bearer "), "bob's requests carried his token");
        UserApiClient bobsToken = new UserApiClient(server.http(), token.substring(7));
        waitFor(bob, d -> {
            try {
                return bobsToken.get("/api/user/messages").status() == 401;
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });

        // the server key bob's page pinned at his first sign-in is not the one presented now
        // (as when someone in between answers): the page refuses before it sends anything
        // derived from the password, naming both keys
        String serverKey = admin.get("/api/server").json().asJsonObject().getString("publicKey");
        String otherKey = "ab".repeat(32);
        assertEquals(serverKey, script(bob, "return localStorage.getItem('cmtp-webmail.server-key." + DOMAIN + "')"),
                "pinned at the first sign-in");
        script(bob, "localStorage.setItem('cmtp-webmail.server-key." + DOMAIN + "', '" + otherKey + "')");
        drain();
        int requestsBefore = requestLines.size();
        signIn(bob, "bob@" + DOMAIN, BOB_PASSWORD);
        waitFor(bob, d -> text(d, "#signin-error").contains("changed"));
        assertTrue(text(bob, "#signin-error").contains(otherKey) && text(bob, "#signin-error").contains(serverKey),
                text(bob, "#signin-error"));
        visible(bob, By.id("signin-address"));
        drain();
        List<String> sinceRefusal = requestLines.subList(requestsBefore, requestLines.size());
        assertTrue(sinceRefusal.stream().noneMatch(l -> l.contains("/api/user/xzibit/") || l.endsWith("/api/user/signin")),
                "only the challenge was asked: " + sinceRefusal);
        script(bob, "localStorage.setItem('cmtp-webmail.server-key." + DOMAIN + "', '" + serverKey + "')");
    }

    @Test
    @Order(5)
    void neitherPasswordsNorSecretKeysLeftEitherBrowser() throws Exception {
        drain();
        // the recording works: it saw the sign-in proofs and a sealed message as bytes
        assertTrue(requestLines.stream().anyMatch(l -> l.startsWith("POST ") && l.endsWith("/api/user/signin")),
                String.join("\n", requestLines));
        assertTrue(requestLines.stream().anyMatch(l -> l.startsWith("PUT ") && l.endsWith("/api/user/xzibit")));
        assertTrue(sentBytes.stream().anyMatch(b -> b.length > 300_000 && decodes(b)),
                "the submitted message was recorded byte for byte");
        assertTrue(sentText.stream().anyMatch(t -> t.contains("\"signature\"")), "JSON bodies were recorded");

        Map<String, byte[]> secrets = Map.of(
                "alice's password", ALICE_PASSWORD.getBytes(StandardCharsets.UTF_8),
                "alice's new password", ALICE_NEW_PASSWORD.getBytes(StandardCharsets.UTF_8),
                "bob's password", BOB_PASSWORD.getBytes(StandardCharsets.UTF_8),
                "alice's secret key", keys("alice", ALICE_NEW_PASSWORD).secretKey(),
                "alice's key seed", Arrays.copyOf(keys("alice", ALICE_NEW_PASSWORD).secretKey(), 32),
                "bob's secret key", keys("bob", BOB_PASSWORD).secretKey(),
                "bob's key seed", Arrays.copyOf(keys("bob", BOB_PASSWORD).secretKey(), 32));
        for (Map.Entry<String, byte[]> secret : secrets.entrySet()) {
            for (String encoding : encodings(secret.getValue())) {
                for (String sent : sentText) {
                    assertFalse(sent.contains(encoding), secret.getKey() + " was sent as " + encoding);
                }
            }
            for (byte[] sent : sentBytes) {
                assertFalse(MailBytes.contains(sent, secret.getValue()), secret.getKey() + " was sent as raw bytes");
            }
        }
        System.out.println("WebmailIT: " + requestLines.size() + " requests recorded, none with a secret");
    }

    // ---- the browsers ---------------------------------------------------------------------

    private static void open(ChromeDriver browser) {
        browser.get(server.http().resolve("/mail/").toString());
        visible(browser, By.id("signin-address"));
    }

    private static void signIn(ChromeDriver browser, String address, String password) {
        WebElement field = browser.findElement(By.id("signin-address"));
        field.clear();
        field.sendKeys(address);
        browser.findElement(By.id("signin-password")).sendKeys(password);
        browser.findElement(By.id("signin-button")).click();
        waitFor(browser, d -> !d.findElement(By.id("signin-button")).isDisplayed()
                || d.findElement(By.id("signin-button")).isEnabled()
                && "Sign in".equals(d.findElement(By.id("signin-button")).getText()));
    }

    /**
     * Opens the message whose subject contains subjectPart from the inbox, once it is listed
     * (the inbox is drawn anew when mail arrives, so a row found may go stale: then look again).
     */
    private static void openMessage(ChromeDriver browser, String subjectPart) {
        waitFor(browser, d -> {
            if (!"inbox".equals(d.findElement(By.id("view")).getAttribute("data-ready"))) {
                return false;
            }
            try {
                for (WebElement link : d.findElements(By.cssSelector("#view a[data-id]"))) {
                    if (link.getText().contains(subjectPart)) {
                        link.click();
                        return true;
                    }
                }
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                // drawn anew meanwhile
            }
            return false;
        });
    }

    private static void ready(ChromeDriver browser, String view) {
        waitFor(browser, d -> view.equals(d.findElement(By.id("view")).getAttribute("data-ready")));
    }

    private static void click(ChromeDriver browser, By by) {
        waitFor(browser, ExpectedConditions.elementToBeClickable(by)).click();
    }

    private static WebElement visible(ChromeDriver browser, By by) {
        return waitFor(browser, ExpectedConditions.visibilityOfElementLocated(by));
    }

    /**
     * The text an element shows, read in the page in one step: the inbox is drawn anew when
     * mail arrives, and an element found first and read afterwards may be gone by then.
     */
    private static String text(org.openqa.selenium.WebDriver browser, String css) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.innerText : ''", css);
    }

    private static Object script(ChromeDriver browser, String code) {
        return ((JavascriptExecutor) browser).executeScript(code);
    }

    private static <T> T waitFor(ChromeDriver browser, java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition) {
        try {
            return new WebDriverWait(browser, TIMEOUT)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            List<LogEntry> log = browser.manage().logs().get(LogType.BROWSER).getAll();
            throw new AssertionError("timed out; the page shows: " + text(browser, "body") + "\nbrowser log: " + log, e);
        }
    }

    /** Every input, select and text area has a label (or an aria-label): what a screen reader announces. */
    private static void assertEveryControlIsLabelled(ChromeDriver browser) {
        assertEquals("", script(browser, "return [...document.querySelectorAll('input, select, textarea')]"
                + ".filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label'))"
                + ".map(e => e.id || e.outerHTML).join(', ')"));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** The whole page at a laptop's 1280×800 and at a phone's 390 px, as PNG. */
    private static void shot(ChromeDriver browser, String name) throws Exception {
        for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
            browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", size[0], "height", size[1],
                    "deviceScaleFactor", 1, "mobile", size[0] < 500));
            try {
                // the layout of that width settled and seen from the top
                script(browser, "window.scrollTo(0, 0)");
                Thread.sleep(150);
                Object data = browser.executeCdpCommand("Page.captureScreenshot",
                        Map.of("format", "png", "captureBeyondViewport", true)).get("data");
                Files.write(SCREENSHOTS.resolve(name + "-" + size[0] + ".png"), Base64.getDecoder().decode((String) data));
            } finally {
                browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
            }
        }
    }

    // ---- what the browsers sent -------------------------------------------------------------

    /** Moves the DevTools network events gathered so far into the recording. */
    private static void drain() {
        for (ChromeDriver browser : new ChromeDriver[] {alice, bob}) {
            for (LogEntry entry : browser.manage().logs().get(LogType.PERFORMANCE).getAll()) {
                JsonObject message = Json.createReader(new StringReader(entry.getMessage())).readObject()
                        .getJsonObject("message");
                String method = message.getString("method", "");
                JsonObject params = message.getJsonObject("params");
                if (method.equals("Network.requestWillBeSent")) {
                    JsonObject request = params.getJsonObject("request");
                    requestLines.add(request.getString("method") + " " + request.getString("url"));
                    sentText.add(request.getString("url"));
                    sentText.add(request.getJsonObject("headers").toString());
                    if (request.getJsonObject("headers").containsKey("Authorization")) {
                        bearer.put(browser, request.getJsonObject("headers").getString("Authorization"));
                    }
                    if (request.containsKey("postData")) {
                        sentText.add(request.getString("postData"));
                    }
                    if (request.containsKey("postDataEntries")) {
                        for (JsonValue part : request.getJsonArray("postDataEntries")) {
                            String bytes = part.asJsonObject().getString("bytes", "");
                            sentBytes.add(Base64.getDecoder().decode(bytes));
                            sentText.add(new String(Base64.getDecoder().decode(bytes), StandardCharsets.ISO_8859_1));
                        }
                    } else if (request.getBoolean("hasPostData", false)) {
                        // too large to come with the event: ask DevTools for it
                        Map<String, Object> data = browser.executeCdpCommand("Network.getRequestPostData",
                                Map.of("requestId", params.getString("requestId")));
                        String text = (String) data.get("postData");
                        byte[] bytes = Boolean.TRUE.equals(data.get("base64Encoded")) ? Base64.getDecoder().decode(text)
                                : text.getBytes(StandardCharsets.ISO_8859_1);
                        sentBytes.add(bytes);
                        sentText.add(text);
                    }
                } else if (method.equals("Network.requestWillBeSentExtraInfo")) {
                    sentText.add(params.getJsonObject("headers").toString()); // as sent, cookies included
                }
            }
        }
    }

    private static boolean decodes(byte[] bytes) {
        try {
            return Message.decode(bytes, org.cmtp.wire.ProtocolLimits.DEFAULTS.withMaxMessageBytes(8 << 20))
                    .attachmentCount() == 1;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * A secret as text in every form it could take: hex (both cases), base64 and base64url with
     * and without padding, at each of the three alignments inside a longer encoded value, UTF-8
     * (for passwords) and URL-encoded.
     */
    private static List<String> encodings(byte[] secret) {
        List<String> forms = new ArrayList<>();
        forms.add(HexFormat.of().formatHex(secret));
        forms.add(HexFormat.of().withUpperCase().formatHex(secret));
        for (int shift = 0; shift < 3; shift++) {
            byte[] aligned = Arrays.copyOfRange(secret, shift, secret.length);
            int whole = aligned.length / 3 * 3;
            String b64 = Base64.getEncoder().withoutPadding().encodeToString(Arrays.copyOf(aligned, whole));
            forms.add(b64);
            forms.add(b64.replace('+', '-').replace('/', '_'));
        }
        forms.add(Base64.getEncoder().encodeToString(secret));
        forms.add(Base64.getUrlEncoder().encodeToString(secret));
        String utf8 = new String(secret, StandardCharsets.UTF_8);
        if (!utf8.contains("\uFFFD")) {
            forms.add(utf8);
            forms.add(URLEncoder.encode(utf8, StandardCharsets.UTF_8));
            forms.add(URLEncoder.encode(utf8, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        forms.add(new String(secret, StandardCharsets.ISO_8859_1));
        return forms;
    }

    /** An account's key pair, opened here from its xzibit (public: anyone may fetch it) with its password. */
    private static Ed25519KeyPair keys(String account, String password) throws Exception {
        HttpResponse<byte[]> reply = TestHttp.newClient().send(HttpRequest.newBuilder(
                server.http().resolve("/api/user/xzibit/" + account)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, reply.statusCode());
        byte[] xzibit = Arrays.copyOf(reply.body(), reply.body().length - 64);
        return Xzibit.parse(xzibit).open(password.getBytes(StandardCharsets.UTF_8));
    }
}
