package org.cmtp.server.mailbox;

import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Permissions for what the server creates beside its data: directories {@code rwx------},
 * files {@code rw-------}. Message bodies are sealed, but plaintext (version 0) messages,
 * the senders and the sizes are not, and no other local user has any business reading
 * them. Given at creation, so that no moment exists in which a file is open to others
 * (whatever the process's umask). On a file system without POSIX permissions: none.
 */
final class OwnerOnly {

    private OwnerOnly() {
    }

    static FileAttribute<?>[] directory(Path where) {
        return posix(where) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------"))} : new FileAttribute<?>[0];
    }

    static FileAttribute<?>[] file(Path where) {
        return posix(where) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0];
    }

    private static boolean posix(Path where) {
        return where.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
