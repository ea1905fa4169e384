package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.Await;
import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.PostgresDatabases;
import org.cmtp.it.support.RawCmtpConnection;
import org.cmtp.it.support.Replies;
import org.cmtp.sodium.Libsodium;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's run command, as an operator uses it: data survives a {@code kill -9} and
 * a restart, the generated admin password is handed over once (in a file, not the log),
 * and two instances with their own addresses, ports and data directories run side by
 * side without meeting.
 */
class LauncherIT {

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private static final String GENERATED_PASSWORD = "CMTP admin password generated";

    @Test
    void accountsMailAndTheServerKeySurviveKillNineAndRestart() throws Exception {
        LaunchedServer server = servers.newServer("launcher-restart", "restart.test", null);
        Path data = server.dataDir();
        servers.start(server);
        assertTrue(server.log().contains(GENERATED_PASSWORD), "the first start generates an admin password");
        String password = Files.readString(data.resolve("admin-password")).trim();
        assertFalse(server.log().contains(password), "handed over in $CMTP_DATA_DIR/admin-password, not in the log");
        AdminClient admin = new AdminClient(server.http(), "admin", password);
        byte[] serverKey = HexFormat.of().parseHex(admin.get("/api/server").json().asJsonObject().getString("publicKey"));
        admin.createAccount("carol", "carol's password");
        MailBytes earlier = MailBytes.to("carol", "restart.test").log("earlier").body(new byte[50]);
        MailBytes mail = MailBytes.to("carol", "restart.test").body(new byte[100]);
        byte[] sent = mail.message();
        try (RawCmtpConnection cmtp = server.connect()) {
            cmtp.readText();
            Replies.expectStatus(cmtp.send(earlier.command()), "SUCCESS",
                    Libsodium.genericHash(64, earlier.message()), serverKey);
        }
        // The message counts are written to the database every 5 s (TrafficFlush). Kept as a
        // sleep: nothing outside shows that write (/api/stats adds the counts not yet written,
        // and the running server holds the H2 file), and it is what the restart must find.
        Thread.sleep(6000);
        try (RawCmtpConnection cmtp = server.connect()) { // a new one: the tests' idle timeout is 5 s
            cmtp.readText();
            Replies.expectStatus(cmtp.send(mail.command()), "SUCCESS", Libsodium.genericHash(64, sent), serverKey);
        }
        server.kill(); // right after the receipt: nothing may be lost

        servers.start(server); // again, on the data directory kill -9 left
        assertFalse(server.log().contains(GENERATED_PASSWORD), "no new password on a restart");
        admin = new AdminClient(server.http(), "admin", password);
        assertArrayEquals(serverKey, HexFormat.of().parseHex(
                admin.get("/api/server").json().asJsonObject().getString("publicKey")), "same server key");
        assertEquals(200, admin.get("/api/accounts/carol").status(), "the account is still there");
        JsonArray messages = admin.get("/api/accounts/carol/messages").json().asJsonArray();
        assertEquals(2, messages.size(), "both messages are still there, once each");
        byte[] stored = null;
        for (JsonValue message : messages) {
            byte[] raw = admin.getBytes("/api/accounts/carol/messages/"
                    + message.asJsonObject().getJsonNumber("id") + "/raw");
            boolean later = java.nio.ByteBuffer.wrap(raw, 16, 8).getLong() == 100; // its body length
            stored = later ? raw : stored;
        }
        long storedInStatistics = admin.get("/api/stats").json().asJsonObject().getJsonObject("totals")
                .getJsonNumber("stored").longValue();
        assertTrue(storedInStatistics >= 1, "the counts written before the kill survive it: " + storedInStatistics);
        String line = ProtocolIT.appendedLogLine(sent, stored);
        assertTrue(line.contains(" restart.test accepted from 127.0.0.1"), line);
        try (RawCmtpConnection cmtp = server.connect()) {
            cmtp.readText();
            assertArrayEquals(serverKey, Replies.expectKey(cmtp.send("KEYREQUEST\0\0"), null));
        }
    }

    /**
     * "SUCCESS only once the message is durably stored" means on the disk, not in the
     * operating system's cache: H2 never calls fsync on commit, so the server must (see
     * CommitsToDisk). Watched from outside with strace: the database file is fsynced after
     * the MAIL is sent and before its receipt arrives. (On PostgreSQL the database itself
     * fsyncs its log at every commit.)
     */
    @Test
    void aReceiptIsSignedOnlyOnceTheMessageIsOnTheDisk() throws Exception {
        Path strace = Path.of("/usr/bin/strace");
        Assumptions.assumeTrue(Files.isExecutable(strace), "strace is not installed (.ci/run installs it)");
        Assumptions.assumeFalse(PostgresDatabases.enabled(), "PostgreSQL makes its commits durable itself");
        LaunchedServer server = servers.newServer("launcher-fsync", "disk.test", "pw-disk");
        servers.start(server);
        AdminClient admin = server.admin();
        byte[] serverKey = server.serverKey();
        admin.createAccount("dora", "dora's password");
        MailBytes mail = MailBytes.to("dora", "disk.test").body(new byte[300]);
        Path trace = Files.createTempFile("cmtp-fsync", ".strace");
        Path messages = Files.createTempFile("cmtp-fsync", ".stderr");
        // strace's own messages ("Process N attached with M threads") go to its stderr
        Process tracer = new ProcessBuilder(strace.toString(), "-f", "-ttt", "-y", "-e", "trace=fsync,fdatasync",
                "-o", trace.toString(), "-p", Long.toString(server.pid()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(messages.toFile()).start();
        try (RawCmtpConnection cmtp = server.connect()) {
            cmtp.readText();
            // strace attaches to each of the JVM's few hundred threads, then says so once
            String attached = "Process " + server.pid() + " attached";
            Await.until(() -> {
                try {
                    return Files.readString(messages).contains(attached);
                } catch (java.io.IOException e) {
                    return false;
                }
            }, java.time.Duration.ofSeconds(60), "strace attached to the server's threads");
            double sent = System.currentTimeMillis() / 1000.0;
            Replies.expectStatus(cmtp.send(mail.command()), "SUCCESS", Libsodium.genericHash(64, mail.message()),
                    serverKey);
            double received = System.currentTimeMillis() / 1000.0;
            Thread.sleep(500); // time for strace to write out the fsync's return before it is stopped
            tracer.destroy();
            tracer.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            List<Double> databaseSyncs = Files.readAllLines(trace).stream()
                    .filter(line -> line.contains("cmtp.mv.db>") && line.contains(" = 0"))
                    .map(line -> Double.parseDouble(line.trim().split("\\s+")[1]))
                    .toList();
            assertTrue(databaseSyncs.stream().anyMatch(at -> at >= sent - 0.01 && at <= received + 0.01),
                    "an fsync of the database file between the MAIL (" + sent + ") and its receipt (" + received
                            + "): " + databaseSyncs);
        } finally {
            tracer.destroyForcibly();
            Files.deleteIfExists(trace);
            Files.deleteIfExists(messages);
        }
    }

    @Test
    void twoInstancesRunSideBySideWithoutJoiningEachOther() throws Exception {
        // the same CMTP port on two addresses: each instance binds only its own
        int cmtpPort = FreePorts.take();
        LaunchedServer first = servers.newServer("launcher-first", "127.0.0.2", cmtpPort, "first.test", "pw-1");
        LaunchedServer second = servers.newServer("launcher-second", "127.0.0.3", cmtpPort, "second.test", "pw-2");
        servers.start(first, second);
        AdminClient firstAdmin = first.admin();
        AdminClient secondAdmin = second.admin();
        String firstKey = firstAdmin.get("/api/server").json().asJsonObject().getString("publicKey");
        String secondKey = secondAdmin.get("/api/server").json().asJsonObject().getString("publicKey");
        assertNotEquals(firstKey, secondKey, "each has its own identity");
        firstAdmin.createAccount("dave", "dave's password");
        assertEquals(404, secondAdmin.get("/api/accounts/dave").status(), "and its own accounts");
        assertEquals(401, new AdminClient(second.http(), "admin", "pw-1").get("/api/server").status());
        for (LaunchedServer server : new LaunchedServer[] {first, second}) {
            try (RawCmtpConnection cmtp = server.connect()) {
                cmtp.readText();
                assertEquals("O_O\n\0", cmtp.send("NOOP\0").readText());
            }
            assertFalse(server.log().matches("(?s).*DG Size: [2-9].*"), "no data grid formed between the two");
        }
    }

    @Test
    void redeployingClosesTheListenerAndItsConnectionsAndServesAgainWithoutARestart() throws Exception {
        LaunchedServer server = servers.newServer("launcher-redeploy", "redeploy.test", "pw-r")
                .with("CMTP_EXPLODED", "1")
                // longer than the wait below, so only the undeployment can close the open connection
                .with("CMTP_IDLE_TIMEOUT", "300");
        servers.start(server);
        try (RawCmtpConnection open = server.connect()) {
            open.readText();
            boolean closed = false;
            // Payara reloads when .reload is newer than the deployment; touched again every
            // 5 s, since one touch in the same second as the deployment may not count
            for (int i = 0; i < 24 && !closed; i++) {
                Files.writeString(server.dataDir().resolve("app/ROOT/.reload"), Integer.toString(i));
                Files.setLastModifiedTime(server.dataDir().resolve("app/ROOT/.reload"),
                        java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
                closed = open.closedByServerWithin(5_000);
            }
            assertTrue(closed, "undeploying closes the open connection");
        }
        server.awaitLog("CMTP listening on 127.0.0.1:" + server.cmtpPort(), 2, java.time.Duration.ofSeconds(120));
        assertTrue(server.log().contains("CMTP listener on 127.0.0.1:" + server.cmtpPort() + " closed"),
                "the listener was closed");
        try (RawCmtpConnection cmtp = server.connect()) {
            cmtp.readText();
            assertEquals("O_O\n\0", cmtp.send("NOOP\0").readText(), "the redeployed endpoint serves");
            Replies.expectKey(cmtp.send("KEYREQUEST\0\0"), null);
        }
    }
}
