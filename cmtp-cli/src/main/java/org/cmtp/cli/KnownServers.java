package org.cmtp.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the CLI remembers about the servers it talked to, across runs: which ones answer
 * key requests with address-bound replies (KEYBIND, PROTOCOL.md §4a) — once a server has
 * advertised it, every later run asks it with KEYBIND and refuses version-1 key replies, so
 * an attacker who strips the line from the unsigned OHAI reply cannot downgrade the CLI —
 * and the server key and HTTPS certificate of each user API, pinned on first use.
 *
 * <p>The file is {@code known-servers} in the user's configuration directory:
 * {@code $CMTP_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/cmtp}, else {@code ~/.config/cmtp};
 * one line per fact, {@code HOST:PORT keybind}, {@code API-URL key HEX} or
 * {@code API-URL cert SHA-256-FINGERPRINT}. Created owner-only.
 */
final class KnownServers {

    private static final String KEYBIND = "keybind";
    private static final String KEY = "key";
    private static final String CERTIFICATE = "cert";

    private final Path file;

    KnownServers(Path file) {
        this.file = file;
    }

    /** The file in the configuration directory the environment names. */
    static KnownServers in(Map<String, String> environment) {
        String explicit = environment.get("CMTP_CONFIG_DIR");
        Path directory;
        if (explicit != null && !explicit.isBlank()) {
            directory = Path.of(explicit);
        } else if (environment.get("XDG_CONFIG_HOME") != null && !environment.get("XDG_CONFIG_HOME").isBlank()) {
            directory = Path.of(environment.get("XDG_CONFIG_HOME"), "cmtp");
        } else {
            directory = Path.of(System.getProperty("user.home"), ".config", "cmtp");
        }
        return new KnownServers(directory.resolve("known-servers"));
    }

    Path file() {
        return file;
    }

    /** @return whether {@code server} has advertised KEYBIND to this user before */
    boolean keyBind(ServerAddress server) throws IOException {
        return read().containsKey(server + " " + KEYBIND);
    }

    /** Remembers that {@code server} speaks KEYBIND; a no-op when it is known already. */
    void rememberKeyBind(ServerAddress server) throws IOException {
        Map<String, String> entries = read();
        if (entries.putIfAbsent(server + " " + KEYBIND, "") == null) {
            write(entries);
        }
    }

    /** @return the server key pinned for the user API at {@code api} (a base URL), if any */
    Optional<byte[]> pinnedKey(String api) throws IOException {
        return Optional.ofNullable(read().get(api + " " + KEY)).map(HexFormat.of()::parseHex);
    }

    /**
     * Pins {@code key} for the user API at {@code api} on first use; afterwards the same key
     * must be presented.
     *
     * @throws FailureException naming both keys when another one is pinned
     */
    void checkKey(String api, byte[] key) throws IOException, FailureException {
        Map<String, String> entries = read();
        String presented = HexFormat.of().formatHex(key);
        String pinned = entries.get(api + " " + KEY);
        if (pinned == null) {
            entries.put(api + " " + KEY, presented);
            write(entries);
        } else if (!pinned.equals(presented)) {
            throw new FailureException(api + " presented the server key " + presented + ", not the pinned " + pinned
                    + " (changed, or someone in between?); if the change is expected, remove its line from " + file);
        }
    }

    /**
     * Pins the HTTPS certificate fingerprint ({@code AB:CD:…}) of the user API at {@code api}
     * on first use; afterwards the same certificate must be presented.
     *
     * @throws FailureException naming both fingerprints when another one is pinned
     */
    synchronized void checkCertificate(String api, String fingerprint) throws IOException, FailureException {
        Map<String, String> entries = read();
        String pinned = entries.get(api + " " + CERTIFICATE);
        if (pinned == null) {
            entries.put(api + " " + CERTIFICATE, fingerprint);
            write(entries);
        } else if (!pinned.equalsIgnoreCase(fingerprint)) {
            throw new FailureException(api + " presented the HTTPS certificate " + fingerprint + ", not the pinned "
                    + pinned + " (changed, or someone in between?); compare with the fingerprint the server logs at"
                    + " start, and if the change is expected (a new or renewed certificate), remove its line from " + file);
        }
    }

    /** Every remembered entry: "NAME ATTRIBUTE" → value (empty for a flag). */
    private Map<String, String> read() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] words = line.trim().split("\\s+");
                if (words.length >= 2 && !words[0].startsWith("#")) {
                    entries.put(words[0] + " " + words[1], words.length > 2 ? words[2] : "");
                }
            }
        } catch (NoSuchFileException e) {
            // nothing remembered yet
        }
        return entries;
    }

    private void write(Map<String, String> entries) throws IOException {
        StringBuilder text = new StringBuilder("# what cmtp remembers of servers: HOST:PORT keybind (answers key requests"
                + " address-bound), API-URL key HEX (pinned server key), API-URL cert FINGERPRINT (pinned HTTPS"
                + " certificate); written by cmtp\n");
        entries.forEach((name, value) -> text.append(name).append(value.isEmpty() ? "" : " " + value).append('\n'));
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path temporary = Files.createTempFile(directory, ".known-servers", ".tmp",
                PosixFilePermissions.asFileAttribute(KeyFile.OWNER_ONLY));
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The directory this file is in: the user's cmtp configuration directory. */
    Path directory() {
        return file.toAbsolutePath().getParent();
    }
}
