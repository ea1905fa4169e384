package org.cmtp.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedPasswordFileTest {

    @TempDir
    Path dir;

    @Test
    void thePasswordGoesIntoAnOwnerOnlyFile() throws Exception {
        Path file = dir.resolve("admin-password");
        GeneratedPasswordFile.write(file, "s3cret");
        assertEquals("s3cret\n", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void anOldFileOfLooserModeIsReplacedNotWrittenInto() throws Exception {
        Path file = Files.writeString(dir.resolve("admin-password"), "an old password, and more\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        GeneratedPasswordFile.write(file, "new one");
        assertEquals("new one\n", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void deletingAMissingFileIsNoError() throws Exception {
        Path file = dir.resolve("admin-password");
        GeneratedPasswordFile.write(file, "x");
        GeneratedPasswordFile.delete(file, "used");
        assertFalse(Files.exists(file));
        GeneratedPasswordFile.delete(file, "used again");
    }
}
