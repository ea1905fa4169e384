package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;

import org.cmtp.client.CmtpClient;
import org.cmtp.client.MailSender;
import org.cmtp.client.OutgoingMail;
import org.cmtp.protocol.ProofOfWork;
import org.cmtp.client.Receipt;
import org.cmtp.it.support.Directories;
import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.HeadlessChromium;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.it.support.TestHttp;
import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium against a server started as an operator
 * starts it: sign in (and a wrong password), create an account, see a message sent to it
 * over CMTP on the dashboard and in its mailbox, disable it and see CMTP refuse it; plus
 * the API the console relies on, and the OpenAPI document. A screenshot of every page goes
 * to {@code target/console-screenshots/}.
 */
class ConsoleIT {

    /** Ports of this run (FreePorts). */
    private static final int CHROMEDRIVER_PORT = FreePorts.take();

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private static final String DOMAIN = "console.test";
    private static final String PASSWORD = "console-admin-pw";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    private static final Path DOWNLOADS = Path.of("target/console-downloads");

    private static LaunchedServer server;
    /** Another domain's server, so that the console has a pinned key to show and forget. */
    private static LaunchedServer far;
    private static AdminClient admin;
    private static ChromeDriver browser;
    private static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        for (Path dir : new Path[] {DOWNLOADS, SCREENSHOTS}) {
            Directories.delete(dir);
            Files.createDirectories(dir);
        }
        far = servers.newServer("console-far", "far.test", "far-admin-pw");
        server = servers.newServer("console", DOMAIN, PASSWORD)
                // routed.test for the DNS page (nothing listens there); far.test is the other server
                .with("CMTP_ROUTES", "routed.test=127.0.0.3:9001,far.test=" + far.host() + ":" + far.cmtpPort())
                // a queued message stays queued for the queue page: its first retry is far away
                .with("CMTP_RETRY_INITIAL", "3600");
        // both boots at once: each takes a minute or more on this machine
        servers.start(server, far);
        admin = server.admin();
        far.admin().createAccount("henry", "henry's password");
    }

    @Test
    void theOpenApiDocumentDescribesTheAdminApi() throws Exception {
        HttpResponse<String> response = TestHttp.newClient().send(
                HttpRequest.newBuilder(server.http().resolve("/openapi")).header("Accept", "application/json")
                        .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonObject paths = Json.createReader(new StringReader(response.body())).readObject().getJsonObject("paths");
        assertNotNull(paths, response.body());
        for (String path : List.of("/api/accounts", "/api/accounts/{name}", "/api/accounts/{name}/messages",
                "/api/accounts/{name}/messages/{id}", "/api/accounts/{name}/messages/{id}/raw", "/api/server",
                "/api/stats", "/api/queue", "/api/queue/{id}", "/api/queue/{id}/retry", "/api/known-servers",
                "/api/known-servers/{domain}", "/api/dns/{domain}")) {
            assertTrue(paths.containsKey(path), path + " is documented; paths: " + paths.keySet());
        }
        JsonObject account = paths.getJsonObject("/api/accounts/{name}");
        for (String method : List.of("get", "patch", "delete")) {
            assertTrue(account.containsKey(method), "/api/accounts/{name} " + method + ": " + account.keySet());
        }
        assertTrue(paths.getJsonObject("/api/accounts").containsKey("post"));
    }

    @Test
    void theApiAnswersTheConsoleWithoutMakingTheBrowserAskForCredentials() throws Exception {
        HttpClient http = TestHttp.newClient();
        URI server = ConsoleIT.server.http().resolve("/api/server");
        // no credentials, as the console's first call: a problem, and no Basic challenge
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(server)
                .header("X-Requested-By", "cmtp-console").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").isEmpty(), anonymous.headers().toString());
        assertEquals("application/problem+json", anonymous.headers().firstValue("Content-Type").orElse("")
                .replaceAll(";.*", ""));
        assertEquals("sign in as the administrator", json(anonymous.body()).getString("detail"));
        // a wrong password from the console's form
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(server).header("X-Requested-By", "cmtp-console")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("admin:nope".getBytes()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.headers().firstValue("WWW-Authenticate").isEmpty());
        assertEquals("wrong user name or password", json(wrong.body()).getString("detail"));
        // scripts (curl -u) and plain browser navigation still get the Basic challenge
        HttpResponse<String> script = http.send(HttpRequest.newBuilder(server).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, script.statusCode());
        assertEquals("Basic realm=\"CMTP administration\"", script.headers().firstValue("WWW-Authenticate").orElse(null));
        // the console itself needs no credentials, and keeps to its own scripts
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(ConsoleIT.server.http()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<form id=\"signin-form\""), page.body());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(null));
    }

    @Test
    void statsListTheLatestDeliveriesAndRefusals() throws Exception {
        admin.createAccount("erin", "erin's password");
        byte[] serverKey = serverKey();
        try (CmtpClient client = CmtpClient.connect(new InetSocketAddress(server.host(), server.cmtpPort()), TIMEOUT,
                TIMEOUT)) {
            Receipt receipt = new MailSender(client, serverKey, Clock.systemUTC()).send(OutgoingMail
                    .from(new MailAddress("frank", "elsewhere.test")).to(new MailAddress("erin", DOMAIN))
                    .subject("stats").text("counted").build()).get(0);
            assertEquals(StatusWord.SUCCESS, receipt.status());
            byte[] toNobody = new Message(Message.PLAINTEXT, new MailAddress("nobody", DOMAIN),
                    new MailAddress("frank", "elsewhere.test"), "", new byte[10], List.of()).encode();
            assertEquals(StatusWord.DELIVERYFAILURE, client.mail(toNobody, ProofOfWork.none(), serverKey).word());
        }
        JsonArray recent = admin.get("/api/stats").json().asJsonObject().getJsonArray("recent");
        JsonObject refused = recent.getJsonObject(0);
        assertEquals("rejected", refused.getString("event"), recent.toString());
        assertEquals("frank@elsewhere.test", refused.getString("sender"));
        assertEquals("nobody@" + DOMAIN, refused.getString("recipient"));
        assertTrue(refused.getString("detail").startsWith("DELIVERYFAILURE"), refused.toString());
        JsonObject stored = recent.getJsonObject(1);
        assertEquals("stored", stored.getString("event"), recent.toString());
        assertEquals("erin@" + DOMAIN, stored.getString("recipient"));
        assertFalse(stored.containsKey("detail"), "no detail for a delivery");
        assertTrue(Instant.parse(stored.getString("time")).isAfter(Instant.now().minusSeconds(300)));
    }

    @Test
    void anOperatorManagesTheServerInTheConsole() throws Exception {
        browser = HeadlessChromium.start(DOWNLOADS, CHROMEDRIVER_PORT);
        servers.manage(browser::quit);
        wait = new WebDriverWait(browser, TIMEOUT);
        browser.get(server.http().toString());

        // sign-in: a wrong password is an error on the form (no browser dialog), then the right one
        WebElement user = visible(By.id("signin-user"));
        assertEquals("admin", user.getAttribute("value"));
        browser.findElement(By.id("signin-password")).sendKeys("not the password");
        browser.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
        WebElement error = visible(By.id("signin-error"));
        wait.until(ExpectedConditions.textToBePresentInElement(error, "Wrong user name or password."));
        assertEquals(browser.findElement(By.id("signin-password")), browser.switchTo().activeElement(),
                "the password field has the focus again");
        screenshot("sign-in-error");
        browser.findElement(By.id("signin-password")).sendKeys(PASSWORD + "\n");
        heading("Dashboard");

        // accounts: create one with a password; a second with the same name is refused, shown with its field
        navigate("Accounts", "Accounts");
        visible(By.id("new-account-name")).sendKeys("alice");
        browser.findElement(By.id("new-account-password")).sendKeys("alice's password");
        browser.findElement(By.cssSelector("#create-account button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"),
                "Account alice@" + DOMAIN + " created."));
        WebElement aliceRow = row("alice");
        assertTrue(aliceRow.getText().contains("enabled"), aliceRow.getText());
        assertEquals(200, admin.get("/api/accounts/alice").status(), "the account exists on the server");
        visible(By.id("new-account-name")).sendKeys("alice");
        browser.findElement(By.id("new-account-password")).sendKeys("another password");
        browser.findElement(By.cssSelector("#create-account button[type=submit]")).click();
        WebElement refusal = visible(By.cssSelector("#create-account .error"));
        assertTrue(refusal.getText().startsWith("name: "), refusal.getText());
        assertTrue(refusal.getText().contains("alice"), refusal.getText());
        assertEquals("true", browser.findElement(By.id("new-account-name")).getAttribute("aria-invalid"));

        // a message for alice over CMTP, as a client sends it (KEYREQUEST, sealed MAIL)
        byte[] serverKey = serverKey();
        InetSocketAddress cmtp = new InetSocketAddress(server.host(), server.cmtpPort());
        MailAddress alice = new MailAddress("alice", DOMAIN);
        byte[] aliceKey;
        try (CmtpClient client = CmtpClient.connect(cmtp, TIMEOUT, TIMEOUT)) {
            aliceKey = client.keyRequest(alice, serverKey).orElseThrow();
            Receipt receipt = new MailSender(client, serverKey, Clock.systemUTC()).send(OutgoingMail
                    .from(new MailAddress("grace", "elsewhere.test")).to(alice).subject("hello")
                    .text("from the console test").build()).get(0);
            assertEquals(StatusWord.SUCCESS, receipt.status());
            // and one for another domain, which waits in the relay queue (no DNS answers here)
            byte[] relayed = new Message(Message.PLAINTEXT, new MailAddress("dave", "nowhere.test"),
                    new MailAddress("alice", DOMAIN), "", new byte[20], List.of()).encode();
            assertEquals(StatusWord.SUCCESS, client.mail(relayed, ProofOfWork.none(), serverKey).word());
        }

        // the dashboard shows it
        navigate("Dashboard", "Dashboard");
        WebElement deliveries = visible(By.cssSelector("section[aria-labelledby=deliveries-title]"));
        assertTrue(deliveries.getText().contains("grace@elsewhere.test"), deliveries.getText());
        assertTrue(deliveries.getText().contains("alice@" + DOMAIN), deliveries.getText());
        assertTrue(deliveries.getText().contains("dave@nowhere.test"), deliveries.getText());
        assertFalse(browser.findElements(By.cssSelector("svg.chart rect.bar.delivered")).isEmpty(),
                "the chart has a bar of delivered messages");
        assertEquals("1", browser.findElement(By.cssSelector("a.card[href='#/queue'] .card-value")).getText(),
                "queue depth");

        // the mailbox: listed, downloaded byte for byte
        navigate("Accounts", "Accounts");
        screenshot("accounts");
        row("alice").findElement(By.linkText("alice")).click();
        heading("Mailbox of alice@" + DOMAIN);
        WebElement message = visible(By.xpath("//section[@aria-labelledby='messages-title']//tbody/tr"));
        assertTrue(message.getText().contains("grace@elsewhere.test"), message.getText());
        JsonObject listed = admin.get("/api/accounts/alice/messages").json().asJsonArray().getJsonObject(0);
        long id = listed.getJsonNumber("id").longValue();
        byte[] stored = admin.getBytes("/api/accounts/alice/messages/" + id + "/raw");
        message.findElement(By.xpath(".//button[text()='Download']")).click();
        Path downloaded = DOWNLOADS.resolve("message-" + id + ".cmtp");
        wait.until(d -> Files.exists(downloaded));
        wait.until(d -> size(downloaded) == stored.length);
        assertArrayEquals(stored, Files.readAllBytes(downloaded), "the download is the stored message");
        screenshot("mailbox");

        // disabled: the console says so, and CMTP refuses delivery to it
        button("Disable").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("account-status"), "disabled"));
        assertFalse(admin.get("/api/accounts/alice").json().asJsonObject().getBoolean("enabled"));
        try (CmtpClient client = CmtpClient.connect(cmtp, TIMEOUT, TIMEOUT)) {
            Receipt refused = new MailSender(client, serverKey, Clock.systemUTC()).send(OutgoingMail
                    .from(new MailAddress("grace", "elsewhere.test")).to(alice).subject("again").text("no").build())
                    .get(0);
            assertEquals(StatusWord.KEYNOTAVAILABLE, refused.status(), "its key is no longer handed out");
            byte[] sealed = MailSender.seal(OutgoingMail.from(new MailAddress("grace", "elsewhere.test")).to(alice)
                    .subject("again").text("with the key from before").build(), alice, aliceKey, Instant.now())
                    .encode();
            SignedStatus answer = client.mail(sealed, ProofOfWork.none(), serverKey);
            assertEquals(StatusWord.DELIVERYFAILURE, answer.word(), "mail to a disabled account is refused");
        }
        navigate("Accounts", "Accounts");
        assertTrue(row("alice").getText().contains("disabled"), row("alice").getText());
        navigate("Dashboard", "Dashboard");
        WebElement failures = visible(By.cssSelector("section[aria-labelledby=failures-title]"));
        assertTrue(failures.getText().contains("alice@" + DOMAIN) && failures.getText().contains("refused"),
                failures.getText());
        screenshot("dashboard");

        // deleting a message asks first; Cancel keeps it, confirming deletes it
        browser.get(server.http() + "#/accounts/alice");
        heading("Mailbox of alice@" + DOMAIN);
        button("Delete").click();
        visible(By.cssSelector("dialog.confirm")).findElement(By.xpath(".//button[text()='Cancel']")).click();
        assertEquals(1, admin.get("/api/accounts/alice/messages").json().asJsonArray().size());
        button("Delete").click();
        visible(By.cssSelector("dialog.confirm")).findElement(By.xpath(".//button[text()='Delete message']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("view"), "The mailbox is empty."));
        assertEquals(0, admin.get("/api/accounts/alice/messages").json().asJsonArray().size());

        // the relay queue: retry now, then delete
        navigate("Relay queue", "Relay queue");
        WebElement queued = visible(By.xpath("//tbody/tr[td[contains(., 'dave@nowhere.test')]]"));
        assertTrue(queued.getText().contains("alice@" + DOMAIN), queued.getText());
        screenshot("queue");
        long queuedId = admin.get("/api/queue").json().asJsonArray().getJsonObject(0).getJsonNumber("id").longValue();
        Instant before = Instant.parse(admin.get("/api/queue").json().asJsonArray().getJsonObject(0)
                .getString("nextAttempt"));
        queued.findElement(By.xpath(".//button[text()='Retry now']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"),
                "Message " + queuedId + " will be tried again now."));
        JsonArray queue = admin.get("/api/queue").json().asJsonArray();
        assertTrue(queue.isEmpty() || Instant.parse(queue.getJsonObject(0).getString("nextAttempt")).isBefore(before)
                || queue.getJsonObject(0).getInt("attempts") > 1, "made due now: " + queue);
        visible(By.xpath("//tbody/tr[td[contains(., 'dave@nowhere.test')]]//button[text()='Delete']")).click();
        visible(By.cssSelector("dialog.confirm")).findElement(By.xpath(".//button[text()='Delete message']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("view"), "The relay queue is empty"));
        assertTrue(admin.get("/api/queue").json().asJsonArray().isEmpty());

        // known servers: a key request for far.test pins its server's key; forgetting asks first
        try (CmtpClient client = CmtpClient.connect(cmtp, TIMEOUT, TIMEOUT)) {
            assertTrue(client.keyRequest(new MailAddress("henry", "far.test"), serverKey).isPresent(),
                    "henry's key, relayed from far.test's server");
        }
        String farKey = far.admin().get("/api/server").json().asJsonObject().getString("publicKey");
        navigate("Known servers", "Known servers");
        WebElement pin = visible(By.xpath("//tbody/tr[td[1][normalize-space(.)='far.test']]"));
        assertTrue(pin.getText().contains(farKey), pin.getText());
        screenshot("known-servers");
        pin.findElement(By.xpath(".//button[text()='Forget pin']")).click();
        visible(By.cssSelector("dialog.confirm")).findElement(By.xpath(".//button[text()='Forget pin']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("view"),
                "No other domain's server has been contacted yet."));
        assertTrue(admin.get("/api/known-servers").json().asJsonArray().isEmpty(), "the pin is forgotten");

        // DNS: a bad name is an error naming the field; a routed domain shows its route
        navigate("DNS check", "DNS check");
        visible(By.id("dns-domain")).sendKeys("not a domain!\n");
        WebElement dnsError = visible(By.cssSelector("#dns-result .error"));
        assertTrue(dnsError.getText().startsWith("domain: "), dnsError.getText());
        browser.findElement(By.id("dns-domain")).clear();
        browser.findElement(By.id("dns-domain")).sendKeys("routed.test\n");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dns-result"), "127.0.0.3:9001"));
        assertTrue(browser.findElement(By.id("dns-result")).getText().contains("a static route"));
        screenshot("dns");

        // identity: the server's key as the API gives it
        navigate("Server identity", "Server identity");
        JsonObject identity = admin.get("/api/server").json().asJsonObject();
        assertEquals(identity.getString("fingerprint"), visible(By.id("identity-fingerprint")).getText());
        assertEquals(identity.getString("publicKey"), browser.findElement(By.id("identity-key")).getText());
        assertEquals(DOMAIN, browser.findElement(By.id("identity-domains")).getText());
        screenshot("identity");

        // deleting an account asks first, then it is gone
        navigate("Accounts", "Accounts");
        row("alice").findElement(By.xpath(".//button[text()='Delete']")).click();
        visible(By.cssSelector("dialog.confirm")).findElement(By.xpath(".//button[text()='Delete account']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"),
                "Account alice@" + DOMAIN + " deleted."));
        assertEquals(404, admin.get("/api/accounts/alice").status());

        // signing out forgets the credentials
        browser.findElement(By.id("signout")).click();
        visible(By.id("signin-form"));
        assertNull(((JavascriptExecutor) browser).executeScript(
                "return sessionStorage.getItem('cmtp-console-authorization')"));

        List<LogEntry> problems = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                // the failed sign-in and the refused duplicate are logged by Chromium as failed requests
                .filter(entry -> !entry.getMessage().contains("401") && !entry.getMessage().contains("409")
                        && !entry.getMessage().contains("400"))
                .toList();
        assertTrue(problems.isEmpty(), "no script errors or policy violations in the page: "
                + problems.stream().map(LogEntry::getMessage).collect(Collectors.joining("\n")));
    }

    private static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    private static byte[] serverKey() throws Exception {
        return server.serverKey();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Follows a link of the side navigation and waits for the view's heading. */
    private static void navigate(String link, String title) {
        browser.findElement(By.cssSelector("nav.side")).findElement(By.linkText(link)).click();
        heading(title);
    }

    private static void heading(String title) {
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#view h1"), title));
        // the view took the focus to its heading, for keyboard users
        wait.until(d -> "H1".equals(d.switchTo().activeElement().getTagName().toUpperCase()));
    }

    private static WebElement row(String account) {
        return visible(By.xpath("//tbody/tr[td[1][normalize-space(.)='" + account + "']]"));
    }

    private static WebElement button(String text) {
        return visible(By.xpath("//main//button[text()='" + text + "']"));
    }

    /** The whole page, not only the window: the window grows to the page's height for the picture. */
    private static void screenshot(String name) throws Exception {
        Dimension window = browser.manage().window().getSize();
        long height = (Long) ((JavascriptExecutor) browser).executeScript(
                "return Math.max(document.documentElement.scrollHeight, window.innerHeight)");
        browser.manage().window().setSize(new Dimension(window.getWidth(),
                (int) Math.min(4000, window.getHeight() + height - viewportHeight())));
        try {
            Path file = browser.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(file, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } finally {
            browser.manage().window().setSize(window);
        }
    }

    private static long viewportHeight() {
        return (Long) ((JavascriptExecutor) browser).executeScript("return window.innerHeight");
    }
}
