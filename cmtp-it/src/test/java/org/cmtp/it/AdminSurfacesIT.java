package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.net.ssl.SSLSocket;

import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.it.support.TestHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin surfaces' guards, over every path the server documents: every operation of
 * the OpenAPI document answers 401 without credentials and 403 from outside
 * {@code cmtp.admin-networks} (even with the right password); the user API's paths are
 * public instead. And the admin lockout: the first lockout lasts {@code cmtp.admin-lockout},
 * each further failure doubles it, a success starts the count again.
 *
 * <p>Server on 127.0.0.155 (ports chosen per run by {@link FreePorts}). Clients by source address: 127.0.0.1
 * the operator, 127.0.0.156 a guesser inside the admin networks, 127.0.0.157 outside them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminSurfacesIT {

    private static final String HOST = "127.0.0.155";
    private static final String PASSWORD = "admin-surfaces-password";
    private static final String OPERATOR = "127.0.0.1";
    private static final String GUESSER = "127.0.0.156";
    private static final String OUTSIDE = "127.0.0.157";
    private static final int ALLOWED_FAILURES = 3;
    private static final int FIRST_LOCKOUT = 2;

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private static LaunchedServer server;

    @BeforeAll
    static void start() throws Exception {
        server = servers.newServer("admin-surfaces", HOST, FreePorts.take(), "surfaces.test", PASSWORD)
                .with("CMTP_ADMIN_NETWORKS", OPERATOR + "/32," + GUESSER + "/32")
                .with("CMTP_ADMIN_LOGIN_FAILURES", Integer.toString(ALLOWED_FAILURES))
                .with("CMTP_ADMIN_LOCKOUT", Integer.toString(FIRST_LOCKOUT));
        servers.start(server);
    }

    @Test
    @Order(1)
    void everyDocumentedOperationAnswers401WithoutCredentialsAnd403FromOutside() throws Exception {
        Response document = request(OPERATOR, "GET", "/openapi", basic(PASSWORD), null, "Accept: application/json");
        assertEquals(200, document.status(), document.body());
        JsonObject paths = Json.createReader(new StringReader(document.body())).readObject().getJsonObject("paths");
        Map<String, Integer> adminOperations = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int userOperations = 0;
        for (String path : paths.keySet()) {
            for (String method : paths.getJsonObject(path).keySet()) {
                if (!Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(method)) {
                    continue; // "parameters", "summary", ...
                }
                String verb = method.toUpperCase(Locale.ROOT);
                String concrete = path.replaceAll("\\{id}", "1").replaceAll("\\{[^}]+}", "sweep");
                String body = Set.of("POST", "PUT", "PATCH").contains(verb) ? "{}" : null;
                if (path.startsWith("/api/user/") || path.equals("/api/user")) {
                    // the user API answers every network: never 403 for being outside, and never served without
                    // a session where one is needed (its own 401 rules are checked in UserApiIT)
                    userOperations++;
                    int outside = request(OUTSIDE, verb, concrete, null, body).status();
                    if (outside == 403) {
                        failures.add(verb + " " + path + " from outside: 403, but the user API is public");
                    }
                    continue;
                }
                int anonymous = request(OPERATOR, verb, concrete, null, body).status();
                int outside = request(OUTSIDE, verb, concrete, basic(PASSWORD), body).status();
                adminOperations.put(verb + " " + path, anonymous);
                if (anonymous != 401) {
                    failures.add(verb + " " + path + " without credentials: " + anonymous + ", expected 401");
                }
                if (outside != 403) {
                    failures.add(verb + " " + path + " from outside with the password: " + outside + ", expected 403");
                }
            }
        }
        System.out.println("AdminSurfacesIT swept " + adminOperations.size() + " admin operations and " + userOperations
                + " user API operations: " + adminOperations.keySet());
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        // the document is the admin API's, not an empty one: the operations every operator uses are in it
        for (String known : List.of("GET /api/accounts", "POST /api/accounts", "DELETE /api/accounts/{name}",
                "GET /api/queue", "POST /api/queue/{id}/retry", "DELETE /api/known-servers/{domain}")) {
            assertTrue(adminOperations.containsKey(known), known + " swept: " + adminOperations.keySet());
        }
        // and the surfaces outside the document
        for (String path : List.of("/openapi", "/metrics", "/health/ready", "/", "/index.html")) {
            assertEquals(403, request(OUTSIDE, "GET", path, basic(PASSWORD), null).status(), path + " from outside");
        }
        assertEquals(401, request(OPERATOR, "GET", "/api/server", basic("wrong"), null).status(), "a wrong password");
    }

    @Test
    @Order(2)
    void theLockoutDoublesWithEachFurtherFailureAndASuccessStartsTheCountAgain() throws Exception {
        // a password the server has just checked from another address (the console's cache) must not bypass the count
        assertEquals(200, request(OPERATOR, "GET", "/api/server", basic(PASSWORD), null).status());

        for (int i = 1; i <= ALLOWED_FAILURES; i++) {
            assertEquals(401, guess("wrong " + i).status(), "failure " + i + " is checked");
        }
        Response first = guess(PASSWORD);
        assertEquals(429, first.status(), "locked after " + ALLOWED_FAILURES + " failures, even with the password");
        long firstWait = Long.parseLong(first.header("Retry-After"));
        assertTrue(firstWait >= 1 && firstWait <= FIRST_LOCKOUT, "first lockout " + firstWait + " s");

        waitOut(firstWait);
        assertEquals(401, guess("wrong again").status(), "after the lockout one more guess is checked");
        Response second = guess("wrong while locked");
        assertEquals(429, second.status());
        long secondWait = Long.parseLong(second.header("Retry-After"));
        assertTrue(secondWait > FIRST_LOCKOUT && secondWait <= 2 * FIRST_LOCKOUT,
                "the second lockout is twice the first (" + 2 * FIRST_LOCKOUT + " s): " + secondWait + " s");

        waitOut(secondWait);
        assertEquals(200, guess(PASSWORD).status(), "the right password after the lockout");
        // the count starts again: ALLOWED_FAILURES - 1 failures lock nothing, and the next lockout is the first length
        for (int i = 1; i < ALLOWED_FAILURES; i++) {
            assertEquals(401, guess("after success " + i).status(), "failure " + i + " after the success");
        }
        assertEquals(200, guess(PASSWORD).status(), "not locked: the count started again at the success");
        for (int i = 1; i <= ALLOWED_FAILURES; i++) {
            assertEquals(401, guess("new round " + i).status());
        }
        Response third = guess("locked again");
        assertEquals(429, third.status());
        long thirdWait = Long.parseLong(third.header("Retry-After"));
        assertTrue(thirdWait <= FIRST_LOCKOUT, "after a success the lockout is the first length again: " + thirdWait);
        assertNotEquals(429, request(OPERATOR, "GET", "/api/server", basic(PASSWORD), null).status(),
                "the operator's own address is not locked");
        assertFalse(server.log().contains(PASSWORD), "no password in the log");
    }

    // --- helpers ---

    private static Response guess(String password) throws IOException {
        return request(GUESSER, "GET", "/api/server", basic(password), null);
    }

    /** Waits out a lockout the server announced (Retry-After): the condition here is time itself. */
    private static void waitOut(long seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000 + 300);
    }

    private static String basic(String password) {
        return "Authorization: Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
    }

    record Response(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /** One HTTPS request over a connection from source address {@code source}, HTTP/1.0 so the body ends at close. */
    private static Response request(String source, String method, String path, String header, String json,
            String... more) throws IOException {
        Socket plain = new Socket();
        plain.bind(new InetSocketAddress(source, 0));
        plain.connect(new InetSocketAddress(HOST, server.httpPort()), 5000);
        plain.setSoTimeout(60_000);
        try (SSLSocket socket = (SSLSocket) TestHttp.trustingEveryCertificate().getSocketFactory()
                .createSocket(plain, HOST, server.httpPort(), true)) {
            byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.0\r\nHost: " + HOST + ":"
                    + server.httpPort() + "\r\nX-Requested-By: cmtp\r\nConnection: close\r\n");
            if (header != null) {
                request.append(header).append("\r\n");
            }
            for (String line : more) {
                request.append(line).append("\r\n");
            }
            if (json != null) {
                request.append("Content-Type: application/json\r\n");
            }
            request.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String all = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
            int end = all.indexOf("\r\n\r\n");
            String head = end < 0 ? all : all.substring(0, end);
            return new Response(Integer.parseInt(head.split(" ")[1]), head, end < 0 ? "" : all.substring(end + 4));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                bytes.write(buffer, 0, n);
            }
        } catch (javax.net.ssl.SSLException e) {
            // the peer closed without close_notify: what arrived is the answer
        }
        return bytes.toByteArray();
    }
}
