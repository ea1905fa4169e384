package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.PostgresDatabases;
import org.cmtp.it.support.RawCmtpConnection;
import org.cmtp.it.support.Replies;
import org.cmtp.sodium.Libsodium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Large message bodies kept as files beside the database (ADR 0019), on the server as the
 * README starts it: on H2 the launcher puts them in {@code $CMTP_DATA_DIR/bodies}; under
 * {@code -Ppostgresql} the test names that directory itself, as an operator must. A large
 * MAIL lands in exactly one file that holds the stored message byte for byte, a small one
 * stays in the database; both download unchanged, also after a restart; deleting the
 * message or its account deletes the file; a file that no message names (what a crash
 * between writing the file and committing the row leaves) is removed after a restart,
 * while files the server did not name are left alone.
 */
class BodyFilesIT {

    private static final String DOMAIN = "files.test";

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    @Test
    void largeBodiesLiveInFilesThatFollowTheirMessages() throws Exception {
        LaunchedServer server = servers.newServer("body-files", DOMAIN, "pw-files");
        Path bodies = server.dataDir().resolve("bodies");
        if (PostgresDatabases.enabled()) {
            // with CMTP_DB_URL the launcher keeps bodies in the database unless told otherwise
            server.with("CMTP_BODY_DIR", bodies.toString());
        }
        servers.start(server);
        AdminClient admin = server.admin();
        admin.createAccount("ann", "ann's password");
        admin.createAccount("ben", "ben's password");
        byte[] serverKey = server.serverKey();

        Random random = new Random(7);
        byte[] large = new byte[1024 * 1024];
        random.nextBytes(large);
        byte[] small = new byte[4096];
        random.nextBytes(small);
        byte[] forBen = new byte[300 * 1024];
        random.nextBytes(forBen);
        send(server, serverKey, "ann", large);
        send(server, serverKey, "ann", small);
        send(server, serverKey, "ben", forBen);

        List<Path> files = bodyFiles(bodies);
        assertEquals(2, files.size(), "one file for each of the two large messages, none for the small one: " + files);
        long largeId = messageId(admin, "ann", large.length);
        long smallId = messageId(admin, "ann", small.length);
        byte[] largeRaw = admin.getBytes("/api/accounts/ann/messages/" + largeId + "/raw");
        assertTrue(endsWith(largeRaw, large), "the large message downloads with its body");
        Path largeFile = files.stream().filter(f -> Arrays.equals(read(f), largeRaw)).findFirst()
                .orElseThrow(() -> new AssertionError("no body file holds the stored large message byte for byte"));
        assertTrue(endsWith(admin.getBytes("/api/accounts/ann/messages/" + smallId + "/raw"), small),
                "the small message downloads with its body");

        // What a kill between writing a body file and committing its row leaves behind,
        // an hour old; and a file the server did not name, which it must not touch.
        Path orphan = bodies.resolve("ab").resolve("ab" + "0".repeat(30));
        Files.write(orphan, new byte[] {1, 2, 3});
        Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path foreign = bodies.resolve("ab").resolve("notes.txt");
        Files.writeString(foreign, "the operator's own file");
        Files.setLastModifiedTime(foreign, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        for (Path file : bodyFiles(bodies)) {
            // the messages' own files are as old, so that only the row decides
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        }

        server.close();
        servers.start(server);
        server.awaitLog("removed 1 body file(s) that no message refers to", 1, Duration.ofSeconds(90));
        assertFalse(Files.exists(orphan), "the file no message names is gone");
        assertTrue(Files.exists(foreign), "a file the server did not name is left alone");
        assertArrayEquals(largeRaw, admin.getBytes("/api/accounts/ann/messages/" + largeId + "/raw"),
                "after the restart and the sweep the large message downloads unchanged");

        assertEquals(204, admin.delete("/api/accounts/ann/messages/" + largeId).status());
        assertFalse(Files.exists(largeFile), "deleting the message deleted its body file");
        assertEquals(1, bodyFiles(bodies).size(), "ben's message still has its file");
        assertEquals(204, admin.delete("/api/accounts/ben").status());
        assertEquals(List.of(), bodyFiles(bodies), "deleting the account deleted its messages' body files");
    }

    private static void send(LaunchedServer server, byte[] serverKey, String account, byte[] body) throws Exception {
        byte[] message = MailBytes.to(account, DOMAIN).from("sender", "elsewhere.test").body(body).message();
        try (RawCmtpConnection cmtp = server.connect()) {
            cmtp.setReadTimeout(60_000);
            cmtp.readText();
            cmtp.send(MailBytes.concat("MAIL\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), message,
                    MailBytes.ZERO_PROOF_OF_WORK));
            Replies.expectStatus(cmtp, "SUCCESS", Libsodium.genericHash(64, message), serverKey);
        }
    }

    /** The id of the one message of {@code account} whose body is {@code bodyBytes} long (its size is a little more). */
    private static long messageId(AdminClient admin, String account, int bodyBytes) throws Exception {
        JsonArray list = admin.get("/api/accounts/" + account + "/messages").json().asJsonArray();
        return list.stream().map(JsonValue::asJsonObject)
                .filter(m -> m.getJsonNumber("size").longValue() > bodyBytes
                        && m.getJsonNumber("size").longValue() < bodyBytes + 1024)
                .mapToLong(m -> m.getJsonNumber("id").longValue())
                .findFirst().orElseThrow(() -> new AssertionError(account + " has no message of about " + bodyBytes
                        + " bytes: " + list));
    }

    private static List<Path> bodyFiles(Path bodies) throws Exception {
        try (Stream<Path> walk = Files.walk(bodies)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().matches("[0-9a-f]{32}"))
                    .sorted()
                    .toList();
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean endsWith(byte[] whole, byte[] tail) {
        return whole.length >= tail.length
                && Arrays.equals(whole, whole.length - tail.length, whole.length, tail, 0, tail.length);
    }
}
