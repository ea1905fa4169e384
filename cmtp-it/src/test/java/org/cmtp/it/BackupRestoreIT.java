package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.Await;
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
 * {@code ./cmtp-server backup DIR} in the middle of a MAIL load, and {@code restore DIR}
 * into a fresh data directory for a second instance (ADR 0034). Every message whose
 * receipt arrived before the backup command was started is in the restored instance,
 * byte for byte as the first instance stores it; every message the restored instance
 * has downloads whole (no row without its body file), also of messages deleted all
 * through the backup (their files are what the backup must not lose; BodyFilesTest checks
 * the hold on deletions itself). Bodies are of both kinds:
 * small ones in the database, large ones in body files.
 */
class BackupRestoreIT {

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private static final String DOMAIN = "backup.test";
    private static final String ADMIN_PASSWORD = "backup-admin-password";
    private static final int CLIENTS = 3;
    private static final Duration COMMAND = Duration.ofSeconds(300);

    /** One sent message: its body's last 32 bytes (random) name it; when its receipt came. */
    private record Sent(String account, byte[] body, long receiptedAt) {
    }

    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final AtomicInteger receipted = new AtomicInteger();

    @Test
    void aBackupTakenUnderLoadRestoresEveryReceiptedMessageAndNothingHalfStored() throws Exception {
        LaunchedServer source = servers.newServer("backup-source", DOMAIN, ADMIN_PASSWORD);
        LaunchedServer copy = servers.newServer("backup-restored", DOMAIN, ADMIN_PASSWORD);
        Path data = source.dataDir();
        Path restored = copy.dataDir();
        Path backup = LaunchedServer.freshDataDir("backup-copy");
        if (PostgresDatabases.enabled()) {
            // with CMTP_DB_URL the launcher keeps bodies in the database unless told otherwise;
            // the restored instance's database is named here, since restore runs before its start
            source.with("CMTP_BODY_DIR", data.resolve("bodies").toString())
                    .with("CMTP_DB_URL", PostgresDatabases.recreate(PostgresDatabases.name("backup_source")))
                    .with("CMTP_DB_USER", PostgresDatabases.user());
            copy.with("CMTP_BODY_DIR", restored.resolve("bodies").toString())
                    .with("CMTP_DB_URL", PostgresDatabases.recreate(PostgresDatabases.name("backup_restored")))
                    .with("CMTP_DB_USER", PostgresDatabases.user());
        }
        servers.start(source);
        AdminClient admin = source.admin();
        admin.createAccount("ann", "ann's long password");
        admin.createAccount("bob", "bob's long password");
        byte[] serverKey = source.serverKey();

        // bob's large messages are deleted while the backup runs
        Random random = new Random(21);
        List<Long> bobs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            send(source, serverKey, "bob", randomBody(random, 200 * 1024), random);
        }
        for (JsonValue m : admin.get("/api/accounts/bob/messages?max=1000").json().asJsonArray()) {
            bobs.add(m.asJsonObject().getJsonNumber("id").longValue());
        }
        assertEquals(8, bobs.size());

        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 1);
        List<Future<?>> load = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            long seed = 100 + c;
            load.add(clients.submit(() -> {
                Random own = new Random(seed);
                while (loading.get()) {
                    int size = own.nextInt(3) == 0 ? 130 * 1024 + own.nextInt(200 * 1024) : 512 + own.nextInt(8192);
                    send(source, serverKey, "ann", randomBody(own, size), own);
                }
                return null;
            }));
        }
        Await.until(() -> receipted.get() >= 30, Duration.ofSeconds(180), "30 receipts before the backup");

        long backupStarted = System.nanoTime();
        // deletions all through the backup: bob's messages, then new ones as they come
        AtomicBoolean backingUp = new AtomicBoolean(true);
        Future<?> deletions = clients.submit(() -> {
            for (long id : bobs) {
                assertEquals(204, admin.delete("/api/accounts/bob/messages/" + id).status());
            }
            Random own = new Random(99);
            while (backingUp.get()) {
                send(source, serverKey, "bob", randomBody(own, 150 * 1024), own);
                for (JsonValue m : admin.get("/api/accounts/bob/messages?max=1000").json().asJsonArray()) {
                    assertEquals(204, admin.delete("/api/accounts/bob/messages/"
                            + m.asJsonObject().getJsonNumber("id").longValue()).status());
                }
            }
            return null;
        });
        Run made;
        try {
            made = launcher(source.environment(), "backup", backup.toString());
        } finally {
            backingUp.set(false);
        }
        int sentBefore = (int) sent.values().stream().filter(s -> s.receiptedAt() < backupStarted).count();
        deletions.get(120, TimeUnit.SECONDS);
        int atEnd = receipted.get();
        Await.until(() -> receipted.get() >= atEnd + 5, Duration.ofSeconds(120), "more receipts after the backup");
        loading.set(false);
        for (Future<?> f : load) {
            f.get(120, TimeUnit.SECONDS);
        }
        clients.shutdown();
        assertEquals(0, made.exit(), "backup: " + made);
        System.out.printf("BackupRestoreIT: %d receipts before the backup started, %d in all%n", sentBefore, receipted.get());
        assertTrue(Files.isRegularFile(backup.resolve("BACKUP")), "the backup is marked");

        Run restore = launcher(copy.environment(), "restore", backup.toString());
        assertEquals(0, restore.exit(), "restore: " + restore);
        Run again = launcher(copy.environment(), "restore", backup.toString());
        if (!PostgresDatabases.enabled()) {
            assertEquals(2, again.exit(), "a second restore into the same data directory is refused: " + again);
        }
        servers.start(copy);
        AdminClient restoredAdmin = copy.admin();
        assertArrayEquals(serverKey, copy.serverKey(), "the server key is restored");

        int found = 0;
        java.util.Set<String> restoredKeys = new java.util.HashSet<>();
        for (String account : List.of("ann", "bob")) {
            for (JsonValue value : restoredAdmin.get("/api/accounts/" + account + "/messages?max=1000").json().asJsonArray()) {
                JsonObject m = value.asJsonObject();
                long id = m.getJsonNumber("id").longValue();
                byte[] raw = restoredAdmin.getBytes("/api/accounts/" + account + "/messages/" + id + "/raw");
                String key = tail(raw);
                Sent original = sent.get(key);
                assertTrue(original != null && original.account().equals(account),
                        "restored message " + account + "/" + id + " (" + raw.length + " bytes) ends with a body that was sent to it whole");
                assertTrue(endsWith(raw, original.body()), "restored message " + id + " has its whole body");
                if (account.equals("ann")) {
                    assertArrayEquals(admin.getBytes("/api/accounts/ann/messages/" + id + "/raw"), raw,
                            "restored message " + id + " byte for byte as the first instance stores it");
                }
                restoredKeys.add(key);
                found++;
            }
        }
        for (Map.Entry<String, Sent> e : sent.entrySet()) {
            if (e.getValue().receiptedAt() < backupStarted && e.getValue().account().equals("ann")) {
                assertTrue(restoredKeys.contains(e.getKey()), "a message receipted before the backup started is restored");
            }
        }
        System.out.printf("BackupRestoreIT: %d messages restored, each whole%n", found);
        assertTrue(sentBefore >= 30);
    }

    private void send(LaunchedServer server, byte[] serverKey, String account, byte[] body, Random random) throws Exception {
        byte[] message = MailBytes.to(account, DOMAIN).from("sender" + random.nextInt(3), "elsewhere.test").body(body).message();
        try (RawCmtpConnection cmtp = server.connect()) {
            cmtp.setReadTimeout(120_000);
            cmtp.readText();
            cmtp.send(MailBytes.concat("MAIL\0".getBytes(StandardCharsets.US_ASCII), message, MailBytes.ZERO_PROOF_OF_WORK));
            Replies.expectStatus(cmtp, "SUCCESS", Libsodium.genericHash(64, message), serverKey);
        }
        sent.put(tail(body), new Sent(account, body, System.nanoTime()));
        receipted.incrementAndGet();
    }

    private static byte[] randomBody(Random random, int size) {
        byte[] body = new byte[size];
        random.nextBytes(body);
        return body;
    }

    private static String tail(byte[] bytes) {
        return HexFormat.of().formatHex(Arrays.copyOfRange(bytes, Math.max(0, bytes.length - 32), bytes.length));
    }

    private static boolean endsWith(byte[] all, byte[] end) {
        return all.length >= end.length && Arrays.equals(all, all.length - end.length, all.length, end, 0, end.length);
    }

    private record Run(int exit, String output) {
    }

    /** {@code ./cmtp-server COMMAND DIR} with a server's settings, as an operator runs it beside the server. */
    private static Run launcher(Map<String, String> environment, String command, String dir) throws Exception {
        Path repo = Path.of(System.getProperty("it.repo.dir", "..")).toAbsolutePath().normalize();
        ProcessBuilder builder = new ProcessBuilder(repo.resolve("cmtp-server").toString(), command, dir)
                .directory(repo.toFile()).redirectErrorStream(true);
        environment.forEach((k, v) -> {
            if (v == null) {
                builder.environment().remove(k);
            } else {
                builder.environment().put(k, v);
            }
        });
        Path out = Files.createTempFile("backup-it", ".out");
        Process process = builder.redirectOutput(out.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(COMMAND.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("cmtp-server " + command + " did not finish within " + COMMAND);
        }
        String output = Files.readString(out);
        Files.delete(out);
        return new Run(process.exitValue(), output);
    }
}
