package org.cmtp.server.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The file that hands a generated admin password to the operator
 * ({@code cmtp.generated-admin-password-file}): made owner-only ({@code rw-------}) at
 * creation, never in the log. It is deleted at the first sign-in with that password, and
 * when the operator sets a password of their own: then it holds nothing anyone needs.
 */
final class GeneratedPasswordFile {

    private static final Logger LOG = Logger.getLogger(GeneratedPasswordFile.class.getName());

    private GeneratedPasswordFile() {
    }

    /** Writes {@code password} and a line ending to a new owner-only {@code file} (an old one is replaced). */
    static void write(Path file, String password) throws IOException {
        Files.deleteIfExists(file); // an old file keeps its old mode: never write into it
        FileAttribute<?>[] ownerOnly = file.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Files.write(Files.createFile(file, ownerOnly), (password + "\n").getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.WRITE);
    }

    /** Deletes {@code file} if it is there, saying {@code why} in the log. */
    static void delete(Path file, String why) {
        try {
            if (Files.deleteIfExists(file)) {
                LOG.info(() -> "CMTP deleted " + file + ": " + why);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "CMTP could not delete " + file + " (" + why + "); delete it by hand", e);
        }
    }
}
