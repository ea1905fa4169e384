package org.cmtp.server.mailbox;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import org.cmtp.server.config.CmtpConfiguration;

/**
 * Large message bodies kept as files of their own beside the database (ADR 0019), so
 * that each connection writes and forces its message to the disk in parallel with the
 * others, and the serial group commit ({@link MailboxWriter}) carries only the row that
 * names the file. Bodies of at least {@link #MIN_BYTES} go here when {@code cmtp.body-dir}
 * is set; the rest, and every body when it is not set, stay in the database.
 *
 * <p>A file is named by 128 random bits, never by anything a client sent, in one of 256
 * subdirectories ({@code 3f/3f9c…}) made at start. It is on the disk (file and directory
 * entry forced) before its row is committed, so a committed row never names a missing
 * file; a file whose row was never committed (a crash in between) is removed later by
 * {@link BodyFileSweeper}. A file is deleted only after the transaction that deleted its
 * row has committed.
 */
@ApplicationScoped
public class BodyFiles {

    private static final Logger LOG = Logger.getLogger(BodyFiles.class.getName());

    /**
     * Smaller bodies stay in the row, where one group commit's fsync serves many of them:
     * 64 KiB messages were stored faster in the row, 128 KiB ones faster as files
     * (docs/BENCHMARKS.md, fifth round).
     */
    public static final int MIN_BYTES = 128 * 1024;

    /** What {@link #write} names a file: shard directory, slash, 32 hex digits. */
    static final Pattern NAME = Pattern.compile("[0-9a-f]{2}/[0-9a-f]{32}");

    /** The directory, or null when every body stays in the database. */
    private Path directory;
    /** Direct I/O into it, or null where its file system does not take it. */
    private DirectWrites direct;

    @Resource
    private TransactionSynchronizationRegistry transactions;
    @Inject
    private CmtpConfiguration configuration;

    /** Backups running ({@link MailBackup}): while any is, deletions wait in {@link #held}. */
    private int holds;
    private final List<String> held = new java.util.ArrayList<>();

    public BodyFiles() {
    }

    /** Body files in {@code directory} (made if missing), outside a container (tests). */
    BodyFiles(Path directory) {
        this(directory, true);
    }

    /** As above; {@code tryDirectIo} false writes through the page cache, as where direct I/O is refused. */
    BodyFiles(Path directory, boolean tryDirectIo) {
        open(directory, tryDirectIo);
    }

    /**
     * Opens the configured directory. Every user of this bean (the mailbox, the writer, the
     * sweeper and the backup) is itself a bean of the application, so the configuration
     * bean is there by the time any of them first calls this one.
     */
    @PostConstruct
    void configure() {
        configuration.bodyDirectory().ifPresentOrElse(dir -> open(dir, true),
                () -> LOG.info("CMTP message bodies are stored in the database (cmtp.body-dir is not set)"));
    }

    private void open(Path configured, boolean tryDirectIo) {
        Path dir = configured.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir, OwnerOnly.directory(dir)); // new directories only: an operator's stay as they are
            for (int shard = 0; shard < 256; shard++) {
                Files.createDirectories(dir.resolve(String.format("%02x", shard)), OwnerOnly.directory(dir));
            }
            forceDirectory(dir);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("CMTP cannot use the body directory " + dir
                    + " (cmtp.body-dir, CMTP_BODY_DIR): " + e, e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalStateException("CMTP the body directory " + dir
                    + " (cmtp.body-dir, CMTP_BODY_DIR) is not writable by this server");
        }
        directory = dir;
        direct = tryDirectIo ? DirectWrites.probe(dir) : null;
        LOG.info(() -> "CMTP message bodies of " + MIN_BYTES / 1024 + " KiB and more are stored as files in " + dir
                + (direct != null ? ", written with direct I/O" : " (its file system takes no direct I/O: written through the page cache)"));
    }

    /** Whether a body of {@code size} bytes is to be kept in a file. */
    public boolean takes(long size) {
        return directory != null && size >= MIN_BYTES;
    }

    /** The body directory, or null when bodies stay in the database. */
    public Path directory() {
        return directory;
    }

    /**
     * Writes {@code content} to a new file and forces it, with its directory entry, to the
     * disk; returns the file's name for the message row.
     *
     * @throws IllegalStateException if the body is not surely on the disk (nothing is left behind then)
     */
    public String write(byte[] content) {
        if (directory == null) {
            throw new IllegalStateException("CMTP no body directory is configured (cmtp.body-dir)");
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String hex = HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
        String name = hex.substring(0, 2) + "/" + hex;
        Path file = directory.resolve(name);
        try {
            if (direct != null) {
                direct.write(file, content);
            } else {
                writeThroughCache(file, content);
            }
            forceDirectory(file.getParent());
            return name;
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("CMTP a new body file's random name is taken: " + file, e);
        } catch (IOException e) {
            delete(name);
            throw new IllegalStateException("CMTP could not store a message body in " + file + ": " + e, e);
        }
    }

    private static void writeThroughCache(Path file, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                OwnerOnly.file(file))) {
            ByteBuffer bytes = ByteBuffer.wrap(content);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
    }

    /**
     * The body kept in file {@code name}.
     *
     * @throws IllegalStateException if it cannot be read: the cause names the file
     */
    public byte[] read(String name) {
        Path file = resolve(name);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("CMTP the body file " + file + " of a stored message is missing"
                    + " (was the body directory moved, or a backup restored without it?)", e);
        } catch (IOException e) {
            throw new IllegalStateException("CMTP could not read the body file " + file + ": " + e, e);
        }
    }

    /**
     * Deletes file {@code name} now, or, while a backup holds deletions, once it ends (so
     * that a backup's database copy never names a file the backup lacks); a failure is
     * logged ({@link BodyFileSweeper} tries again).
     */
    public void delete(String name) {
        Path file = resolve(name);
        synchronized (held) {
            if (holds > 0) {
                held.add(name);
                return;
            }
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "CMTP could not delete the body file " + file + "; the sweeper tries again (next start or daily)", e);
        }
    }

    /** From now on {@link #delete} only notes the names, until {@link #release()}. */
    void hold() {
        synchronized (held) {
            holds++;
        }
    }

    /** Ends a {@link #hold()}; when none is left, deletes what was held back. */
    void release() {
        List<String> due;
        synchronized (held) {
            holds = Math.max(0, holds - 1);
            if (holds > 0) {
                return;
            }
            due = List.copyOf(held);
            held.clear();
        }
        due.forEach(this::delete);
    }

    /**
     * Deletes the files once the current transaction, which deletes the rows naming them,
     * has committed; nothing if it rolls back.
     */
    public void deleteAfterCommit(List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        if (transactions == null || transactions.getTransactionKey() == null) {
            throw new IllegalStateException("CMTP body files may only be deleted together with their rows, in a transaction");
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    names.forEach(BodyFiles.this::delete);
                }
            }
        });
    }

    /** The file of {@code name}, which must be a name {@link #write} made (names come from rows, but still). */
    Path resolve(String name) {
        if (directory == null) {
            throw new IllegalStateException("CMTP a stored message's body is in the file " + name
                    + ", but no body directory is configured (cmtp.body-dir, CMTP_BODY_DIR)");
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a body file name: " + name);
        }
        return directory.resolve(name);
    }

    /** Makes the directory's entries (a new file's name) durable: on Linux an fsync of the directory. */
    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
