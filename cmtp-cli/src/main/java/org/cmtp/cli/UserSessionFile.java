package org.cmtp.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The user's signed-in session, kept between runs in {@code session} in the configuration
 * directory (owner-only): the user API's address, the account's address and the session
 * token. Never the password or the key: those live only in the memory of one run.
 */
record UserSessionFile(String api, String address, String token) {

    static Optional<UserSessionFile> read(Path directory) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(directory.resolve("session"), StandardCharsets.UTF_8)) {
                int equals = line.indexOf('=');
                if (equals > 0 && !line.startsWith("#")) {
                    fields.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
                }
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!fields.containsKey("api") || !fields.containsKey("address") || !fields.containsKey("token")) {
            return Optional.empty();
        }
        return Optional.of(new UserSessionFile(fields.get("api"), fields.get("address"), fields.get("token")));
    }

    void write(Path directory) throws IOException {
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path temporary = Files.createTempFile(directory, ".session", ".tmp",
                PosixFilePermissions.asFileAttribute(KeyFile.OWNER_ONLY));
        Files.writeString(temporary, "# cmtp signin: the session token of " + address + " (keep it secret)\n"
                + "api=" + api + "\naddress=" + address + "\ntoken=" + token + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, directory.resolve("session"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void delete(Path directory) throws IOException {
        Files.deleteIfExists(directory.resolve("session"));
    }
}
