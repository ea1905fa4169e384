package org.cmtp.server.mailbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BodyFiles} on the real file system: what it writes, reads back, refuses and deletes. */
class BodyFilesTest {

    @TempDir
    Path dir;

    @Test
    void aBodyIsWrittenToANewFileAndReadBackByteForByte() throws Exception {
        BodyFiles files = new BodyFiles(dir.resolve("bodies"));
        byte[] body = new byte[BodyFiles.MIN_BYTES + 17];
        new Random(3).nextBytes(body);

        String name = files.write(body);
        String other = files.write(body);

        assertTrue(BodyFiles.NAME.matcher(name).matches(), name);
        assertNotEquals(name, other, "every body gets a file of its own");
        assertArrayEquals(body, Files.readAllBytes(dir.resolve("bodies").resolve(name)), "the file holds the body");
        assertArrayEquals(body, files.read(name));
        try (Stream<Path> shards = Files.list(dir.resolve("bodies"))) {
            assertEquals(256, shards.count(), "the 256 subdirectories are made at start");
        }
    }

    /** What a backup relies on (ADR 0034): while held, no file goes; released, every held one does. */
    @Test
    void deletionsWaitWhileABackupHoldsThem() throws Exception {
        BodyFiles files = new BodyFiles(dir.resolve("bodies"));
        byte[] body = new byte[BodyFiles.MIN_BYTES];
        String first = files.write(body);
        String second = files.write(body);
        files.hold();
        files.hold();
        files.delete(first);
        files.delete(second);
        assertArrayEquals(body, files.read(first), "held: the file is still there");
        files.release();
        assertTrue(Files.exists(dir.resolve("bodies").resolve(second)), "one of two holds left: still there");
        files.release();
        assertFalse(Files.exists(dir.resolve("bodies").resolve(first)), "released: deleted");
        assertFalse(Files.exists(dir.resolve("bodies").resolve(second)), "released: deleted");
        String third = files.write(body);
        files.delete(third);
        assertFalse(Files.exists(dir.resolve("bodies").resolve(third)), "no hold: deleted at once");
    }

    @Test
    void directWritesLeaveExactlyTheBodyWhateverItsLength() throws Exception {
        DirectWrites direct = DirectWrites.probe(dir);
        Assumptions.assumeTrue(direct != null, "the temporary directory's file system takes direct I/O");
        Random random = new Random(5);
        for (int length : new int[] {1, 4095, 4096, 4097, DirectWrites.CHUNK, 2 * DirectWrites.CHUNK + 513}) {
            byte[] body = new byte[length];
            random.nextBytes(body);
            Path file = dir.resolve("direct-" + length);
            direct.write(file, body);
            assertArrayEquals(body, Files.readAllBytes(file), length + " bytes");
        }
    }

    /** The path taken where the file system refuses direct I/O (this machine's, tmpfs included, take it). */
    @Test
    void withoutDirectIoBodiesGoThroughThePageCacheAlike() throws Exception {
        BodyFiles files = new BodyFiles(dir, false);
        byte[] body = new byte[BodyFiles.MIN_BYTES + 3];
        new Random(9).nextBytes(body);
        String name = files.write(body);
        assertArrayEquals(body, Files.readAllBytes(dir.resolve(name)));
        assertArrayEquals(body, files.read(name));
    }

    @Test
    void onlyBodiesOfTheThresholdAndMoreGoToFiles() {
        BodyFiles files = new BodyFiles(dir);
        assertFalse(files.takes(BodyFiles.MIN_BYTES - 1));
        assertTrue(files.takes(BodyFiles.MIN_BYTES));
        BodyFiles none = new BodyFiles();
        assertFalse(none.takes(100L * 1024 * 1024), "without a body directory every body stays in the database");
    }

    @Test
    void aMissingFileIsAnErrorThatNamesIt() {
        BodyFiles files = new BodyFiles(dir);
        String name = "0a/0a" + "1".repeat(30);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> files.read(name));
        assertTrue(e.getMessage().contains(dir.resolve(name).toString()) && e.getMessage().contains("missing"),
                e.getMessage());
    }

    @Test
    void namesItDidNotMakeAreRefusedRatherThanResolved() {
        BodyFiles files = new BodyFiles(dir);
        for (String name : new String[] {"../../etc/passwd", "0a/../../x", "/tmp/x", "0A/0A" + "1".repeat(30), ""}) {
            assertThrows(IllegalArgumentException.class, () -> files.read(name), name);
        }
    }

    @Test
    void deleteRemovesTheFileAndToleratesItsAbsence() throws Exception {
        BodyFiles files = new BodyFiles(dir);
        String name = files.write(new byte[] {1, 2, 3});
        files.delete(name);
        assertFalse(Files.exists(dir.resolve(name)));
        files.delete(name);
    }

    @Test
    void aDirectoryThatCannotBeMadeStopsTheStartWithItsName() throws Exception {
        Path blocked = dir.resolve("a-file");
        Files.writeString(blocked, "not a directory");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new BodyFiles(blocked.resolve("bodies")));
        assertTrue(e.getMessage().contains("CMTP_BODY_DIR") && e.getMessage().contains(blocked.toString()), e.getMessage());
    }

    @Test
    void bodyDirectoriesAndFilesAreTheServersAloneWhateverTheUmask() throws Exception {
        for (boolean direct : new boolean[] {true, false}) {
            Path bodies = dir.resolve("owner-only-" + direct);
            BodyFiles files = new BodyFiles(bodies, direct);
            String name = files.write(new byte[BodyFiles.MIN_BYTES]);
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(bodies)), "the body directory");
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(bodies.resolve(name).getParent())), "its subdirectories");
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(bodies.resolve(name))), "a body file, written " + (direct ? "directly" : "through the cache"));
        }
    }
}
