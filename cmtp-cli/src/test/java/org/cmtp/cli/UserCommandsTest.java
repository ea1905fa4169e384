package org.cmtp.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the CLI does with a sender's file names, and what it remembers of servers. */
class UserCommandsTest {

    @Test
    void attachmentNamesCannotLeaveTheDirectoryOrHide() {
        assertEquals("evil name.txt", UserCommands.safeFileName("../../evil name.txt"));
        assertEquals("passwd", UserCommands.safeFileName("/etc/passwd"));
        assertEquals("win.ini", UserCommands.safeFileName("C:\\Windows\\win.ini"));
        assertEquals("bashrc", UserCommands.safeFileName(".bashrc"));
        assertEquals("a_b.txt", UserCommands.safeFileName("a\nb.txt"));
        assertEquals("attachment", UserCommands.safeFileName(".."));
        assertEquals("attachment", UserCommands.safeFileName("dir/"));
        assertTrue(UserCommands.safeFileName("x".repeat(300)).length() <= 200);
    }

    @Test
    void aServerKeyIsPinnedOnFirstUseAndAChangeIsRefusedNamingBoth(@TempDir Path home) throws Exception {
        KnownServers known = new KnownServers(home.resolve("config/known-servers"));
        byte[] first = new byte[32];
        byte[] other = new byte[32];
        other[0] = 1;
        known.checkKey("http://mail.example:8080/", first);
        known.checkKey("http://mail.example:8080/", first);
        FailureException refused = assertThrows(FailureException.class, () -> known.checkKey("http://mail.example:8080/", other));
        assertTrue(refused.getMessage().contains("01" + "00".repeat(31)) && refused.getMessage().contains("00".repeat(32)),
                refused.getMessage());
        assertArrayEquals(first, known.pinnedKey("http://mail.example:8080/").orElseThrow());
        known.rememberKeyBind(new ServerAddress("mail.example", 9001));
        assertTrue(known.keyBind(new ServerAddress("mail.example", 9001)));
        assertFalse(known.keyBind(new ServerAddress("mail.example", 9002)));
        assertArrayEquals(first, known.pinnedKey("http://mail.example:8080/").orElseThrow(), "both kept");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(known.file())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("config"))));
    }

    @Test
    void anHttpsCertificateIsPinnedOnFirstUseBesideTheKeyAndAChangeIsRefusedNamingBoth(@TempDir Path home)
            throws Exception {
        KnownServers known = new KnownServers(home.resolve("known-servers"));
        String api = "https://mail.example:8080/";
        String first = "AB:" + "00:".repeat(30) + "01";
        String other = "AB:" + "00:".repeat(30) + "02";
        known.checkKey(api, new byte[32]);
        known.checkCertificate(api, first);
        known.checkCertificate(api, first.toLowerCase());
        FailureException refused = assertThrows(FailureException.class, () -> known.checkCertificate(api, other));
        assertTrue(refused.getMessage().contains(first) && refused.getMessage().contains(other), refused.getMessage());
        assertTrue(refused.getMessage().contains(known.file().toString()), "says where the pin is kept");
        known.checkCertificate("https://other.example:8080/", other);
        assertArrayEquals(new byte[32], known.pinnedKey(api).orElseThrow(), "the key pin is kept beside");
    }
}
