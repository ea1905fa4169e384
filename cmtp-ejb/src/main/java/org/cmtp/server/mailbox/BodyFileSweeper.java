package org.cmtp.server.mailbox;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Removes body files that no message row names ({@link BodyFiles}): those of a MAIL
 * whose commit never happened because the server died between writing the file and
 * committing the row, and those whose row was deleted just before a crash. Runs shortly
 * after start (orphans come from crashes, so a restart is when to look) and then once a
 * day, for the orphans of instances sharing the directory and of failed deletes: a sweep
 * lists every body file, too much work to repeat often. It never touches a file younger than
 * {@link #MIN_AGE} (its row may be about to be committed, by this instance or by another
 * sharing the directory), nor a file whose name {@link BodyFiles} would not have made.
 */
@Singleton
@Startup
public class BodyFileSweeper {

    private static final Logger LOG = Logger.getLogger(BodyFileSweeper.class.getName());
    static final Duration MIN_AGE = Duration.ofHours(1);
    private static final Duration FIRST_RUN = Duration.ofSeconds(15);
    private static final int BATCH = 500;

    @Inject
    private BodyFiles bodyFiles;
    @PersistenceContext(unitName = "cmtp")
    private EntityManager em;
    @Resource
    private TimerService timers;

    @PostConstruct
    void scheduleFirstRun() {
        if (bodyFiles.directory() != null) {
            timers.createSingleActionTimer(FIRST_RUN.toMillis(), new TimerConfig("body file sweep after start", false));
        }
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void afterStart() {
        sweep();
    }

    @Schedule(hour = "3", minute = "41", persistent = false)
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void daily() {
        sweep();
    }

    /** Deletes the unnamed files; returns how many. */
    int sweep() {
        Path dir = bodyFiles.directory();
        if (dir == null) {
            return 0;
        }
        Instant youngest = Instant.now().minus(MIN_AGE);
        List<String> batch = new ArrayList<>(BATCH);
        int removed = 0;
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(dir)) {
            for (Path shard : shards) {
                if (!Files.isDirectory(shard)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
                    for (Path file : files) {
                        String name = shard.getFileName() + "/" + file.getFileName();
                        if (BodyFiles.NAME.matcher(name).matches()
                                && Files.getLastModifiedTime(file).toInstant().isBefore(youngest)) {
                            batch.add(name);
                            if (batch.size() == BATCH) {
                                removed += removeUnnamed(batch);
                                batch.clear();
                            }
                        }
                    }
                }
            }
            removed += removeUnnamed(batch);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "CMTP the sweep of the body directory " + dir + " stopped; it runs again at the next start or daily run", e);
        }
        if (removed > 0) {
            int count = removed;
            LOG.info(() -> "CMTP removed " + count + " body file(s) that no message refers to (left by a crash)");
        }
        return removed;
    }

    private int removeUnnamed(List<String> names) {
        if (names.isEmpty()) {
            return 0;
        }
        Set<String> named = new HashSet<>(em.createQuery(
                "SELECT m.bodyFile FROM StoredMessage m WHERE m.bodyFile IN :names", String.class)
                .setParameter("names", names)
                .getResultList());
        int removed = 0;
        for (String name : names) {
            if (!named.contains(name)) {
                bodyFiles.delete(name);
                removed++;
            }
        }
        return removed;
    }
}
