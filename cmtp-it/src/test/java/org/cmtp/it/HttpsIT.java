package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLSocket;

import org.cmtp.it.support.Await;
import org.cmtp.it.support.CommandLineClient;
import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.it.support.TestHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP port as the README promises it: HTTPS with a certificate made on the first
 * start (its fingerprint in the log is what clients see) or the operator's PEM files, no
 * plain HTTP unless asked for, the admin surfaces (admin API, console, /metrics, /health,
 * /openapi) refused to clients outside {@code cmtp.admin-networks} while the user API
 * answers everyone, and the CLI pinning the certificate on first use. The "outside" client
 * is a second loopback address; the TLS client is the JDK's own (JSSE).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpsIT {

    /** The server's address, in its admin networks; clients from OUTSIDE are not. */
    private static final String HOST = "127.0.0.101";
    private static final String OUTSIDE = "127.0.0.102";
    private static final String PASSWORD = "https-admin-password";
    private static final Pattern LOGGED_FINGERPRINT =
            Pattern.compile("CMTP HTTPS certificate SHA-256 fingerprint ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})");

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private Path dataDir;
    private LaunchedServer server;

    @BeforeAll
    void start() throws Exception {
        server = servers.newServer("https", HOST, FreePorts.take(), "https.test", PASSWORD)
                // the admin (the test's own clients, from 127.0.0.1) and HOST are in; OUTSIDE is not
                .with("CMTP_ADMIN_NETWORKS", "127.0.0.1/32, " + HOST + "/32");
        dataDir = server.dataDir();
        servers.start(server);
        server.admin().createAccount("dora", "dora-password-12345");
    }

    @Test
    @Order(1)
    void theSelfSignedCertificateInTheLogIsTheOneClientsSeeAndNoPlainHttpAnswers() throws Exception {
        String logged = loggedFingerprint();
        X509Certificate seen = certificateSeenBy(HOST);
        assertEquals(logged, fingerprint(seen), "the log names the certificate the port presents");
        assertEquals("CN=https.test", seen.getSubjectX500Principal().getName());
        assertTrue(seen.getSubjectAlternativeNames().stream().anyMatch(name -> name.get(1).equals("https.test")),
                "names the mail domain: " + seen.getSubjectAlternativeNames());
        Path keyStore = dataDir.resolve("tls/keystore.p12");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyStore)));
        assertFalse(server.log().contains(Files.readString(dataDir.resolve("tls/keystore-password")).strip()),
                "the key store's password is not in the log");

        try (Socket plain = new Socket(HOST, server.httpPort())) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write(("GET /api/user/xzibit/dora HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(readSome(plain.getInputStream()), StandardCharsets.ISO_8859_1);
            assertFalse(answer.startsWith("HTTP/1.1 200"), "plain HTTP on the HTTPS port: " + answer);
        }
        assertThrows(ConnectException.class, () -> new Socket(HOST, server.httpPort() + 1).close(),
                "no plain HTTP listener unless CMTP_PLAIN_HTTP_PORT asks for one");
    }

    @Test
    @Order(2)
    void adminSurfacesAnswerOnlyTheAdminNetworksWhileTheUserApiAnswersEveryone() throws Exception {
        String admin = "Authorization: Basic "
                + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        // ready (all readiness checks up) once the relay worker has run its first round
        Await.until(() -> {
            try {
                return status(HOST, "GET", "/health/ready", null, null) == 200;
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(60), "/health/ready answering 200");
        for (String path : List.of("/api/server", "/api/accounts", "/", "/index.html", "/metrics", "/health/ready",
                "/openapi")) {
            assertEquals(200, status(HOST, "GET", path, admin, null), "from an admin network: " + path);
            assertEquals(403, status(OUTSIDE, "GET", path, admin, null), "from outside, even with the password: " + path);
        }
        // from outside, no password can even be tried: the answer is 403, never 401, and no
        // failure is counted against the address (the lockout would show as 429)
        String wrong = "Authorization: Basic " + Base64.getEncoder().encodeToString(
                "admin:not-the-password".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 15; i++) {
            assertEquals(403, status(OUTSIDE, "GET", "/api/server", wrong, null));
        }
        assertEquals(200, status(OUTSIDE, "POST", "/api/user/signin/challenge", null,
                "{\"address\":\"dora@https.test\"}"), "the user API answers everyone");
        assertEquals(200, status(OUTSIDE, "GET", "/api/user/xzibit/dora", null, null));
    }

    @Test
    @Order(3)
    void theCliPinsTheCertificateOnFirstUseAndRefusesAnotherNamingBoth() throws Exception {
        String first = loggedFingerprint();
        Path work = LaunchedServer.freshDataDir("https-cli");
        Files.createDirectories(work);
        Map<String, String> environment = Map.of("CMTP_CONFIG_DIR", work.resolve("config").toString(),
                "CMTP_PASSWORD", "dora-password-12345");
        String[] global = {"--server", HOST + ":" + server.cmtpPort(), "--api", server.http().toString()};

        CommandLineClient.Run signin = CommandLineClient.run(environment, global, "signin", "dora@https.test");
        assertEquals(0, signin.exit(), signin.toString());
        assertTrue(Files.readString(work.resolve("config/known-servers"))
                .contains(server.http() + " cert " + first), "pinned on first use");
        CommandLineClient.Run inbox = CommandLineClient.run(environment, global, "inbox");
        assertEquals(0, inbox.exit(), inbox.toString());

        // the operator installs a certificate of their own (PEM files, as a CA would issue them)
        server.close();
        Path pem = operatorCertificate(work.resolve("operator"));
        server.with("CMTP_TLS_CERT", pem.resolve("fullchain.pem").toString())
                .with("CMTP_TLS_KEY", pem.resolve("privkey.pem").toString());
        servers.start(server);
        String second = loggedFingerprint();
        assertNotEquals(first, second);
        assertEquals(second, fingerprint(certificateSeenBy(HOST)), "the PEM certificate is served and logged");
        assertEquals("CN=mail.https.test", certificateSeenBy(HOST).getSubjectX500Principal().getName());

        CommandLineClient.Run refused = CommandLineClient.run(environment, global, "inbox");
        assertEquals(2, refused.exit(), refused.toString());
        assertTrue(refused.err().contains(first) && refused.err().contains(second)
                && refused.err().lines().count() == 1, "one line naming both: " + refused);
    }

    // ---- helpers ------------------------------------------------------------------------

    private String loggedFingerprint() throws Exception {
        server.awaitLog("CMTP HTTPS certificate SHA-256 fingerprint", 1, Duration.ofSeconds(30));
        Matcher m = LOGGED_FINGERPRINT.matcher(server.log());
        assertTrue(m.find(), "the log names the fingerprint");
        return m.group(1);
    }

    /** The certificate the HTTPS port presents to a JSSE client connecting from {@code source}. */
    private X509Certificate certificateSeenBy(String source) throws IOException {
        try (SSLSocket socket = tls(source)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private SSLSocket tls(String source) throws IOException {
        Socket plain = new Socket();
        plain.bind(new InetSocketAddress(source, 0));
        plain.connect(new InetSocketAddress(HOST, server.httpPort()), 5000);
        plain.setSoTimeout(30_000);
        return (SSLSocket) TestHttp.trustingEveryCertificate().getSocketFactory()
                .createSocket(plain, HOST, server.httpPort(), true);
    }

    /** One HTTPS request from source address {@code source}: the response's status code. */
    private int status(String source, String method, String path, String header, String json) throws IOException {
        try (SSLSocket socket = tls(source)) {
            byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + HOST + "\r\n"
                    + "X-Requested-By: cmtp\r\nConnection: close\r\n");
            if (header != null) {
                request.append(header).append("\r\n");
            }
            if (json != null) {
                request.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    private static byte[] readSome(InputStream in) throws IOException {
        byte[] buffer = new byte[256];
        try {
            int n = in.read(buffer);
            return n < 0 ? new byte[0] : java.util.Arrays.copyOf(buffer, n);
        } catch (IOException e) {
            return new byte[0]; // reset by the TLS listener: not an HTTP answer either
        }
    }

    private static String fingerprint(X509Certificate certificate) throws Exception {
        return HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    /**
     * A certificate and key as PEM files, the way an operator gets them from a CA tool
     * (certificate chain, unencrypted PKCS#8 key): made by the JDK's keytool, exported here.
     */
    private static Path operatorCertificate(Path directory) throws Exception {
        Files.createDirectories(directory);
        Path store = directory.resolve("operator.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "mail", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                "-dname", "CN=mail.https.test", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "operator", "-keypass", "operator").inheritIO().start();
        assertEquals(0, keytool.waitFor());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "operator".toCharArray());
        }
        PrivateKey key = (PrivateKey) keys.getKey("mail", "operator".toCharArray());
        Files.writeString(directory.resolve("fullchain.pem"), pem("CERTIFICATE", keys.getCertificate("mail").getEncoded()));
        Files.writeString(directory.resolve("privkey.pem"), pem("PRIVATE KEY", key.getEncoded()));
        return directory;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
