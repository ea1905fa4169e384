package org.cmtp.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.cmtp.crypto.Ed25519KeyPair;

/**
 * A user's key pair on disk, as {@code cmtp login} saves it and {@code cmtp open} reads it:
 * a few {@code name=value} lines, the keys in hex. The file holds the secret key in the
 * clear, so it is created readable by its owner only ({@code rw-------}) — set when the
 * file is created, never loosened afterwards, so there is no moment when others could read it.
 */
final class KeyFile {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private KeyFile() {
    }

    /**
     * Writes {@code keys} to a new file.
     *
     * @param replace whether an existing file may be replaced (atomically, by a new owner-only file)
     * @throws FileAlreadyExistsException if the file exists and {@code replace} is false
     */
    static void write(Path file, Ed25519KeyPair keys, String account, String server, boolean replace)
            throws IOException {
        byte[] secret = keys.secretKey();
        String text = "# CMTP key pair of " + account + " (from " + server + "): keep this file secret\n"
                + "account=" + account + "\n"
                + "public-key=" + HexFormat.of().formatHex(keys.publicKey()) + "\n"
                + "secret-key=" + HexFormat.of().formatHex(secret) + "\n";
        java.util.Arrays.fill(secret, (byte) 0);
        Path target = file.toAbsolutePath();
        if (!replace) {
            Files.write(createOwnerOnly(target), text.getBytes(StandardCharsets.UTF_8));
            return;
        }
        Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        Files.write(createOwnerOnly(temporary), text.getBytes(StandardCharsets.UTF_8));
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path createOwnerOnly(Path file) throws IOException {
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
        try {
            return Files.createFile(file, ownerOnly);
        } catch (UnsupportedOperationException notPosix) {
            return Files.createFile(file); // e.g. Windows: the directory's ACL decides
        }
    }

    /**
     * Reads a key file.
     *
     * @throws IOException if it cannot be read or holds no consistent key pair
     */
    static Ed25519KeyPair read(Path file) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals > 0) {
                fields.put(trimmed.substring(0, equals).trim(), trimmed.substring(equals + 1).trim());
            }
        }
        String secret = fields.get("secret-key");
        if (secret == null) {
            throw new IOException(file + " is not a CMTP key file (no secret-key line)");
        }
        Ed25519KeyPair keys;
        try {
            keys = Ed25519KeyPair.fromSecretKey(HexFormat.of().parseHex(secret));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the secret key is not valid (" + e.getMessage() + ")");
        }
        String publicKey = fields.get("public-key");
        if (publicKey != null && !publicKey.equalsIgnoreCase(HexFormat.of().formatHex(keys.publicKey()))) {
            throw new IOException(file + ": public-key does not belong to secret-key");
        }
        return keys;
    }

    /** @return whether others than the owner may read or write the file (POSIX only) */
    static boolean isExposed(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            return !OWNER_ONLY.containsAll(permissions);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
