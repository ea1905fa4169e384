package org.cmtp.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the CLI remembers about the servers it talked to, across runs: which ones answer
 * key requests with address-bound replies (KEYBIND, PROTOCOL.md §4a). Once a server has
 * advertised it, every later run asks it with KEYBIND and refuses version-1 key replies, so
 * an attacker who strips the line from the unsigned OHAI reply cannot downgrade the CLI.
 *
 * <p>The file is {@code known-servers} in the user's configuration directory:
 * {@code $CMTP_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/cmtp}, else {@code ~/.config/cmtp};
 * one line per server, {@code HOST:PORT keybind}. Created owner-only.
 */
final class KnownServers {

    private static final String KEYBIND = "keybind";

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
        return keyBindServers().contains(server.toString());
    }

    /** Remembers that {@code server} speaks KEYBIND; a no-op when it is known already. */
    void rememberKeyBind(ServerAddress server) throws IOException {
        Set<String> servers = keyBindServers();
        if (!servers.add(server.toString())) {
            return;
        }
        StringBuilder text = new StringBuilder("# servers that answer key requests with address-bound replies"
                + " (KEYBIND); written by cmtp\n");
        servers.forEach(s -> text.append(s).append(' ').append(KEYBIND).append('\n'));
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path temporary = Files.createTempFile(directory, ".known-servers", ".tmp",
                PosixFilePermissions.asFileAttribute(KeyFile.OWNER_ONLY));
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private Set<String> keyBindServers() throws IOException {
        Set<String> servers = new LinkedHashSet<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] words = line.trim().split("\\s+");
                if (words.length == 2 && !words[0].startsWith("#") && words[1].equals(KEYBIND)) {
                    servers.add(words[0]);
                }
            }
        } catch (NoSuchFileException e) {
            // nothing remembered yet
        }
        return servers;
    }
}
