package org.cmtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import org.cmtp.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path directory;

    @Test
    void aKeyFileIsCreatedOwnerOnlyAndReadsBack() throws Exception {
        Ed25519KeyPair keys = Ed25519KeyPair.generate(RANDOM);
        Path file = directory.resolve("carol.cmtpkey");
        KeyFile.write(file, keys, "carol", "127.0.0.1:9001", false);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(KeyFile.isExposed(file));
        assertEquals(keys, KeyFile.read(file));
    }

    @Test
    void anExistingFileIsOnlyReplacedWhenAskedAndStaysOwnerOnly() throws Exception {
        Path file = directory.resolve("carol.cmtpkey");
        Files.writeString(file, "something else");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Ed25519KeyPair keys = Ed25519KeyPair.generate(RANDOM);
        assertThrows(FileAlreadyExistsException.class, () -> KeyFile.write(file, keys, "carol", "s", false));
        assertEquals("something else", Files.readString(file));
        assertTrue(KeyFile.isExposed(file));

        KeyFile.write(file, keys, "carol", "s", true);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(keys, KeyFile.read(file));
        try (var listing = Files.list(directory)) {
            assertEquals(1, listing.count(), "no temporary file left behind");
        }
    }

    @Test
    void refusesFilesWithoutAConsistentKeyPair() throws Exception {
        Path notKeys = directory.resolve("notes.txt");
        Files.writeString(notKeys, "hello\n");
        assertThrows(IOException.class, () -> KeyFile.read(notKeys));

        Ed25519KeyPair keys = Ed25519KeyPair.generate(RANDOM);
        Path file = directory.resolve("k");
        KeyFile.write(file, keys, "carol", "s", false);
        String other = java.util.HexFormat.of().formatHex(Ed25519KeyPair.generate(RANDOM).publicKey());
        Path mismatched = directory.resolve("mismatched");
        Files.writeString(mismatched, Files.readString(file).replaceAll("public-key=\\p{XDigit}+", "public-key=" + other));
        assertThrows(IOException.class, () -> KeyFile.read(mismatched));
    }
}
