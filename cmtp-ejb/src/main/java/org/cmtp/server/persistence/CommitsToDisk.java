package org.cmtp.server.persistence;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * Makes what has been committed survive a power failure or a kernel crash, not only a
 * crash of this process, before the server signs a receipt for it.
 *
 * <p>PostgreSQL does so at every commit ({@code synchronous_commit}, {@code fsync}). H2 does
 * not: its commit writes to the operating system's cache and never calls {@code fsync}
 * (H2's documentation, "Durability Problems"; seen with strace: no fsync in 2,000
 * commits). On H2, {@link #force()} therefore runs {@code CHECKPOINT SYNC}, which forces the
 * database file to the disk. Callers run it once per group of commits (see
 * {@code MailboxWriter}), so one fsync covers every message of the group, as Postfix's
 * one fsync covers one queue file. It needs the H2 user to be an administrator, which the
 * user that created the database is.
 *
 * <p>Must be called outside a transaction, after the commit it is to make durable.
 */
@ApplicationScoped
public class CommitsToDisk {

    private static final Logger LOG = Logger.getLogger(CommitsToDisk.class.getName());

    @Resource(lookup = "jdbc/cmtp")
    private DataSource dataSource;

    /** Whether the database needs telling; null until the first call finds out. */
    private volatile Boolean needsSync;

    /**
     * Returns once everything committed so far is on the disk.
     *
     * @throws IllegalStateException if that cannot be made sure: the caller must then not
     *                               promise durability (a MAIL is answered FAILURE)
     */
    public void force() {
        if (Boolean.FALSE.equals(needsSync)) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            if (needsSync(connection)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CHECKPOINT SYNC");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("CMTP could not force the database to disk (CHECKPOINT SYNC on H2 needs"
                    + " the user that created the database): " + e.getMessage(), e);
        }
    }

    private boolean needsSync(Connection connection) throws SQLException {
        Boolean known = needsSync;
        if (known == null) {
            String product = connection.getMetaData().getDatabaseProductName();
            known = product.toLowerCase(Locale.ROOT).contains("h2");
            needsSync = known;
            boolean sync = known;
            LOG.info(() -> "CMTP database " + product + (sync ? ": every group of commits is forced to disk"
                    + " (CHECKPOINT SYNC) before its receipts are signed" : ": it makes every commit durable itself"));
        }
        return known;
    }
}
