package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.CommandLineClient.Run;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The release archive as an operator gets it (ADR 0033): {@code cmtp-server-<version>.tar.gz}
 * unpacked with {@code tar} into a directory of its own, far from the checkout, and run
 * with a PATH on which there is Java but no Maven. It starts with the same command and
 * {@code CMTP_*} settings as from a checkout, takes a message sent with the release's own
 * {@code cmtp} client, and that client opens it. Its systemd unit passes
 * {@code systemd-analyze verify} without a single warning, with the unit installed where
 * INSTALL puts it, and carries the hardening options. {@code cmtp-server backup} works from it.
 */
class ReleaseArchiveIT {

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private static final String DOMAIN = "release.test";
    private static final String ADMIN_PASSWORD = "release-admin-password";
    private static final String PASSWORD = "dora's long password";
    private static final String OUTSIDER = "frank@outside.test";

    @Test
    void theUnpackedReleaseRunsWithoutMavenSendsAndReads() throws Exception {
        Path root = fresh("release");
        Path release = unpack(root.resolve("opt"));
        for (String file : List.of("cmtp-server", "cmtp", "INSTALL", "systemd/cmtp-server.service", "lib/payara-micro.jar",
                "lib/cmtp-ra.rar", "lib/ROOT.war", "lib/postgresql.jar", "lib/cmtp-cli.jar", "lib/write-post-boot",
                "lib/launcher-tools.jar")) {
            assertTrue(Files.isRegularFile(release.resolve(file)), "the release holds " + file);
        }
        assertTrue(Files.isExecutable(release.resolve("cmtp-server")) && Files.isExecutable(release.resolve("cmtp")),
                "the launchers are executable as unpacked");

        Path bin = pathWithoutMaven(root.resolve("bin"));
        Run which = run(List.of("bash", "-c", "command -v java && ! command -v mvn"), root, Map.of("PATH", bin.toString()));
        assertEquals(0, which.exit(), "the test's PATH has java and no mvn: " + which);

        Path work = Files.createDirectories(root.resolve("work"));
        LaunchedServer server = servers.newServer("release-data", DOMAIN, ADMIN_PASSWORD)
                .launcher(release.resolve("cmtp-server"), work)
                .with("PATH", bin.toString())
                // the release must find out by itself that it builds nothing
                .without("CMTP_NO_BUILD")
                .without("MAVEN_HOME")
                // nobody may relay here: a sender of another domain is an outsider, as in ClientIT
                .with("CMTP_RELAY_NETWORKS", "192.0.2.0/32");
        servers.start(server);
        assertFalse(server.log().contains("building"), "the release built nothing:\n" + server.log());
        assertFalse(Files.exists(release.resolve("data")), "the release directory stays as unpacked (data in CMTP_DATA_DIR)");
        AdminClient admin = server.admin();
        admin.createAccount("dora", PASSWORD);

        Map<String, String> env = Map.of("PATH", bin.toString(), "CMTP_CONFIG_DIR", work.resolve("config").toString());
        List<String> cmtp = List.of(release.resolve("cmtp").toString(), "--server",
                server.host() + ":" + server.cmtpPort(), "--timeout", "60");
        Run send = run(concat(cmtp, "send", "--from", OUTSIDER, "--to", "dora@" + DOMAIN, "--subject", "From the release",
                "--text", "Unpacked, started, delivered.\n"), work, env);
        assertEquals(0, send.exit(), send.toString());
        assertTrue(send.out().matches("SUCCESS dora@" + Pattern.quote(DOMAIN) + " \\p{XDigit}{128}\n"), send.out());

        JsonArray messages = admin.get("/api/accounts/dora/messages").json().asJsonArray();
        assertEquals(1, messages.size(), messages.toString());
        Path raw = Files.write(work.resolve("stored.cmtp"), admin.getBytes(
                "/api/accounts/dora/messages/" + messages.getJsonObject(0).getJsonNumber("id") + "/raw"));
        Path keys = work.resolve("dora.cmtpkey");
        Map<String, String> withPassword = new java.util.HashMap<>(env);
        withPassword.put("CMTP_PASSWORD", PASSWORD);
        Run login = run(concat(cmtp, "login", "dora", "--out", keys.toString()), work, withPassword);
        assertEquals(0, login.exit(), login.toString());
        Run open = run(concat(cmtp, "open", "--keys", keys.toString(), raw.toString()), work, env);
        assertEquals(0, open.exit(), open.toString());
        assertTrue(open.out().contains("From: " + OUTSIDER + "\n"), open.out());
        assertTrue(open.out().contains("Subject: From the release\n"), open.out());
        assertTrue(open.out().endsWith("\nUnpacked, started, delivered.\n"), open.out());

        // backup from the release too: its BackupCall runs compiled, on a JRE's means
        Map<String, String> settings = new java.util.HashMap<>();
        server.environment().forEach((k, v) -> {
            if (v != null) {
                settings.put(k, v);
            }
        });
        settings.put("PATH", bin.toString());
        Run backup = run(List.of(release.resolve("cmtp-server").toString(), "backup", root.resolve("backup").toString()),
                work, settings);
        assertEquals(0, backup.exit(), "backup from the release: " + backup);
        assertTrue(Files.isRegularFile(root.resolve("backup/BACKUP")), backup.toString());
    }

    @Test
    void theSystemdUnitIsHardenedAndVerifies() throws Exception {
        Path root = fresh("release-systemd");
        Path opt = root.resolve("opt");
        Path release = unpack(opt);
        String unit = Files.readString(release.resolve("systemd/cmtp-server.service"));
        for (String line : List.of("User=cmtp", "Group=cmtp", "ExecStart=/opt/cmtp-server/cmtp-server",
                "Environment=CMTP_DATA_DIR=/var/lib/cmtp", "StateDirectory=cmtp", "ProtectSystem=strict",
                "ReadWritePaths=/var/lib/cmtp", "NoNewPrivileges=yes", "PrivateTmp=yes", "ProtectHome=yes",
                "CapabilityBoundingSet=", "PrivateDevices=yes", "RestrictSUIDSGID=yes", "UMask=0077")) {
            assertTrue(unit.lines().anyMatch(line::equals), "the unit says " + line + ":\n" + unit);
        }

        String analyze = which("systemd-analyze");
        Assumptions.assumeTrue(analyze != null, "systemd-analyze is not installed (Debian package systemd; ./run-tests installs it)");
        // Installed as INSTALL says, in a root of its own: /opt/cmtp-server links to the unpacked
        // release (verify checks that ExecStart names an executable file), the unit in
        // /etc/systemd/system, and this machine's own units beside it, so that the units every
        // service depends on (sysinit.target, ...) exist. --root lets verify run without a
        // running systemd (this container has none as process 1) and without writing to /opt.
        Files.createSymbolicLink(opt.resolve("cmtp-server"), release.getFileName());
        Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.copy(release.resolve("systemd/cmtp-server.service"), units.resolve("cmtp-server.service"));
        Path systemUnits = Stream.of("/usr/lib/systemd/system", "/lib/systemd/system").map(Path::of)
                .filter(Files::isDirectory).findFirst().orElseThrow();
        Path copy = Files.createDirectories(root.resolve("usr/lib/systemd"));
        Run copied = run(List.of("cp", "-r", systemUnits.toString(), copy.toString()), root, Map.of());
        assertEquals(0, copied.exit(), copied.toString());

        Run verify = run(List.of(analyze, "verify", "--root=" + root, "cmtp-server.service"), root, Map.of());
        assertEquals(0, verify.exit(), "systemd-analyze verify: " + verify);
        assertEquals("", verify.out() + verify.err(), "systemd-analyze verify has no complaint at all");

        // and the check can fail: a unit whose ExecStart is not there is refused
        Files.delete(opt.resolve("cmtp-server"));
        Run broken = run(List.of(analyze, "verify", "--root=" + root, "cmtp-server.service"), root, Map.of());
        assertTrue(broken.exit() != 0 && broken.err().contains("/opt/cmtp-server/cmtp-server"), broken.toString());
    }

    /** Unpacks the archive with tar into {@code into}; the release's directory. */
    private static Path unpack(Path into) throws Exception {
        Path archive = Path.of(System.getProperty("it.release.archive"));
        assertTrue(Files.isRegularFile(archive), "the build made " + archive);
        Files.createDirectories(into);
        Run tar = run(List.of("tar", "xzf", archive.toString(), "-C", into.toString()), into, Map.of());
        assertEquals(0, tar.exit(), tar.toString());
        String name = archive.getFileName().toString().replaceFirst("\\.tar\\.gz$", "");
        Path release = into.resolve(name);
        assertTrue(Files.isDirectory(release), "the archive unpacks into " + name);
        return release;
    }

    /**
     * A directory of links to every program on this machine's PATH except Maven's: the
     * machine "with only Java" (and the shell tools every Linux has).
     */
    private static Path pathWithoutMaven(Path bin) throws IOException {
        Files.createDirectories(bin);
        Set<String> seen = new LinkedHashSet<>();
        for (String dir : System.getenv("PATH").split(":")) {
            Path directory = Path.of(dir);
            if (dir.isEmpty() || !Files.isDirectory(directory)) {
                continue;
            }
            try (Stream<Path> programs = Files.list(directory)) {
                for (Path program : programs.toList()) {
                    String name = program.getFileName().toString();
                    if (name.startsWith("mvn") || !Files.isExecutable(program) || Files.isDirectory(program)
                            || !seen.add(name)) {
                        continue;
                    }
                    Files.createSymbolicLink(bin.resolve(name), program.toAbsolutePath());
                }
            }
        }
        return bin;
    }

    private static String which(String program) {
        for (String dir : System.getenv("PATH").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static Path fresh(String name) throws IOException {
        Path dir = Path.of(System.getProperty("it.data.dir", "target/it-data")).resolveSibling(name).toAbsolutePath();
        if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return Files.createDirectories(dir);
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    private static Run run(List<String> command, Path directory, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().remove("CMTP_PASSWORD");
        builder.environment().putAll(environment);
        Path out = Files.createTempFile("release-it", ".out");
        Path err = Files.createTempFile("release-it", ".err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 180 s");
        }
        try {
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
