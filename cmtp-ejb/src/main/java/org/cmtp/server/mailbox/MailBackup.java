package org.cmtp.server.mailbox;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;
import java.util.stream.Stream;

import javax.sql.DataSource;

/**
 * An online backup of this instance's mail (ADR 0034), in two steps that
 * {@code ./cmtp-server backup DIR} calls through the admin API:
 * <ol>
 * <li>{@link #start()}: from now on no body file is deleted ({@link BodyFiles#hold()}); on H2
 * the database is copied with {@code BACKUP TO} (a consistent copy of the open database),
 * then every body file is hard-linked (copied where links cannot be made) into a new
 * directory of the server's own naming;</li>
 * <li>the command takes its PostgreSQL copy ({@code pg_dump}), if that is the database;</li>
 * <li>{@link #finish(String)}: body files written since are added, deletions resume.</li>
 * </ol>
 * A row in the database copy was committed after its file was on the disk, and no file is
 * deleted between the first step and the last, so every message in the copy has its body;
 * a file whose row is not in the copy is what a crash leaves, and the restored server's
 * {@link BodyFileSweeper} removes it. Body files are written once and never changed, so a
 * hard link is a copy.
 */
@ApplicationScoped
public class MailBackup {

    private static final Logger LOG = Logger.getLogger(MailBackup.class.getName());
    /** A backup whose command never finished it (killed) stops holding deletions after this. */
    static final Duration ABANDONED = Duration.ofHours(12);

    /** What {@link #start()} made: {@code path} null when the server had nothing to copy. */
    public record Started(String id, String database, Path path) {
    }

    private record Running(String id, Path path, Instant started) {
    }

    @Resource(lookup = "jdbc/cmtp")
    private DataSource dataSource;
    @Inject
    private BodyFiles bodyFiles;

    private Running running;

    public synchronized Started start() {
        if (running != null && running.started().plus(ABANDONED).isBefore(Instant.now())) {
            LOG.warning(() -> "CMTP the backup " + running.id() + " begun at " + running.started()
                    + " was never finished; body file deletions resume");
            bodyFiles.release();
            running = null;
        }
        if (running != null) {
            throw new IllegalStateException("a backup is running since " + running.started() + " (id " + running.id() + ")");
        }
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        bodyFiles.hold();
        Path path = null;
        try (Connection connection = dataSource.getConnection()) {
            boolean h2 = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2");
            Path root = bodyFiles.directory();
            if (root == null && h2) {
                root = h2Directory(connection);
            }
            if (root != null) {
                path = root.resolve("backup-" + id);
                Files.createDirectory(path, OwnerOnly.directory(path));
                if (h2) {
                    try (Statement statement = connection.createStatement()) {
                        // the path is the server's own (its database's or body directory), never a client's
                        statement.execute("BACKUP TO '" + path.resolve("h2-database.zip").toString().replace("'", "''") + "'");
                    }
                }
                linkBodies(path);
            }
            running = new Running(id, path, Instant.now());
            Path made = path;
            LOG.info(() -> "CMTP backup " + id + " begun" + (made != null ? " in " + made : "")
                    + "; body files are not deleted until it is finished");
            return new Started(id, h2 ? "h2" : "postgresql", path);
        } catch (SQLException | IOException | RuntimeException e) {
            bodyFiles.release();
            if (path != null) {
                deleteTree(path);
            }
            throw new IllegalStateException("CMTP the backup could not be made: " + e.getMessage(), e);
        }
    }

    /**
     * Adds the body files written since {@link #start()} and lets deletions resume.
     *
     * @return false if {@code id} is not the running backup's
     */
    public synchronized boolean finish(String id) {
        if (running == null || !running.id().equals(id)) {
            return false;
        }
        try {
            if (running.path() != null) {
                linkBodies(running.path());
            }
        } catch (IOException e) {
            throw new IllegalStateException("CMTP the backup's body files could not be completed: " + e.getMessage(), e);
        } finally {
            bodyFiles.release();
            Running done = running;
            running = null;
            LOG.info(() -> "CMTP backup " + done.id() + " finished; body file deletions resume");
        }
        return true;
    }

    private static Path h2Directory(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT DATABASE_PATH()")) {
            result.next();
            return Path.of(result.getString(1)).toAbsolutePath().getParent();
        }
    }

    /** Every body file not in {@code backup}/bodies yet (or shorter there: a copy made while it was written). */
    private void linkBodies(Path backup) throws IOException {
        Path dir = bodyFiles.directory();
        if (dir == null) {
            return;
        }
        Path target = backup.resolve("bodies");
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(dir)) {
            for (Path shard : shards) {
                String shardName = shard.getFileName().toString();
                if (!Files.isDirectory(shard) || !shardName.matches("[0-9a-f]{2}")) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
                    for (Path file : files) {
                        if (!BodyFiles.NAME.matcher(shardName + "/" + file.getFileName()).matches()) {
                            continue;
                        }
                        Path copy = target.resolve(shardName).resolve(file.getFileName().toString());
                        try {
                            if (Files.exists(copy) && Files.size(copy) == Files.size(file)) {
                                continue;
                            }
                            Files.createDirectories(copy.getParent(), OwnerOnly.directory(copy.getParent()));
                            Files.deleteIfExists(copy);
                            try {
                                Files.createLink(copy, file);
                            } catch (FileSystemException | UnsupportedOperationException e) {
                                Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
                            }
                        } catch (java.nio.file.NoSuchFileException e) {
                            // removed by a failed write or before the hold: no committed row names it
                        }
                    }
                }
            }
        }
    }

    private static void deleteTree(Path path) {
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warning(() -> "CMTP could not remove the failed backup " + path + ": " + e);
        }
    }
}
