package org.cmtp.server.schema;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Versioned schema migrations, run once at start before anything else touches the
 * database. Plain JDBC, no container types: the same code runs in the server
 * ({@link SchemaMigrator}) and in tests against a bare connection.
 *
 * <p>Applied versions are recorded in {@code CMTP_SCHEMA_VERSION}. Each migration is one
 * script per database vendor ({@code h2/V<n>__<name>.sql}, {@code postgresql/…} beside this
 * class), listed in {@link #MIGRATIONS} in order; each runs in its own transaction
 * together with its history row (on PostgreSQL DDL is transactional; on H2 it commits
 * on its own, so a failed H2 script must be repaired by hand). A database made by the
 * old create-mode (CMTP tables, no history) is baselined at version 1 rather than
 * recreated. On PostgreSQL an advisory lock makes instances that start together on one
 * database migrate one after the other.
 */
public final class SchemaMigrations {

    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());

    /** The history table. */
    public static final String HISTORY = "CMTP_SCHEMA_VERSION";

    /** Every migration, in order. A new one is appended here with a script per vendor. */
    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "initial_schema"),
            new Migration(2, "times_as_timestamps"),
            new Migration(3, "traffic_hours"),
            new Migration(4, "content_not_compressed"),
            new Migration(5, "body_files"),
            new Migration(6, "known_server_keybind"),
            new Migration(7, "user_access"),
            new Migration(8, "quotas_and_admin_password"),
            new Migration(9, "arrived_by_smtp"));

    private static final long ADVISORY_LOCK = 0x434d54505f534348L; // "CMTP_SCH"

    record Migration(int version, String name) {
        String script(String vendor) {
            return vendor + "/V" + version + "__" + name + ".sql";
        }
    }

    private SchemaMigrations() {
    }

    /** The latest version this code knows. */
    public static int latestVersion() {
        return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
    }

    /**
     * Brings the database behind {@code connection} to the latest version.
     *
     * @return the versions applied by this call (empty when the schema was current)
     */
    public static List<Integer> migrate(Connection connection) throws SQLException {
        return migrate(connection, latestVersion());
    }

    /** Brings the database to {@code target}, not beyond: tests make an old schema with it. */
    static List<Integer> migrate(Connection connection, int target) throws SQLException {
        String vendor = vendor(connection);
        boolean autoCommit = connection.getAutoCommit();
        boolean locked = false;
        try {
            if (vendor.equals("postgresql")) {
                connection.setAutoCommit(true);
                try (Statement s = connection.createStatement()) {
                    s.execute("SELECT pg_advisory_lock(" + ADVISORY_LOCK + ")");
                }
                locked = true;
            }
            connection.setAutoCommit(false);
            // Every version not yet recorded runs, not just those above the highest: migrations
            // written side by side may reach a database in either order (V2 and V3 did, during
            // development), and one skipped would never run.
            java.util.Set<Integer> done = appliedVersions(connection);
            List<Integer> applied = new ArrayList<>();
            for (Migration migration : MIGRATIONS) {
                if (done.contains(migration.version()) || migration.version() > target) {
                    continue;
                }
                try (Statement s = connection.createStatement()) {
                    for (String sql : statements(read(migration.script(vendor)))) {
                        s.execute(sql);
                    }
                    record(connection, migration.version(), migration.name());
                    connection.commit();
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw new SQLException("CMTP schema migration V" + migration.version() + " (" + migration.name()
                            + ") failed on " + vendor + ": " + e.getMessage(), e);
                }
                LOG.info("CMTP schema migrated to version " + migration.version() + " (" + migration.name() + ")");
                applied.add(migration.version());
            }
            return applied;
        } finally {
            if (locked) {
                connection.setAutoCommit(true);
                try (Statement s = connection.createStatement()) {
                    s.execute("SELECT pg_advisory_unlock(" + ADVISORY_LOCK + ")");
                }
            }
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * The recorded versions; creates the history table when missing, and baselines a
     * database made by the old create-mode at version 1.
     */
    private static java.util.Set<Integer> appliedVersions(Connection connection) throws SQLException {
        if (!tableExists(connection, HISTORY)) {
            try (Statement s = connection.createStatement()) {
                s.execute("CREATE TABLE " + HISTORY + " (VERSION INTEGER NOT NULL PRIMARY KEY,"
                        + " DESCRIPTION VARCHAR(200) NOT NULL, INSTALLED_ON TIMESTAMP NOT NULL)");
            }
            if (tableExists(connection, "CMTP_ACCOUNT")) {
                record(connection, 1, "baseline of a schema made by create-mode");
                LOG.info("CMTP schema: existing tables without history, baselined at version 1");
            }
            connection.commit();
        }
        java.util.Set<Integer> versions = new java.util.HashSet<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT VERSION FROM " + HISTORY)) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        return versions;
    }

    private static void record(Connection connection, int version, String description) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + HISTORY + " (VERSION, DESCRIPTION, INSTALLED_ON) VALUES (?, ?, ?)")) {
            insert.setInt(1, version);
            insert.setString(2, description);
            insert.setTimestamp(3, Timestamp.from(Instant.now()));
            insert.executeUpdate();
        }
    }

    static boolean tableExists(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String schema = connection.getSchema();
        for (String name : new String[] {table.toUpperCase(Locale.ROOT), table.toLowerCase(Locale.ROOT)}) {
            try (ResultSet rs = meta.getTables(null, schema, name, new String[] {"TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    static String vendor(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        if (product.equalsIgnoreCase("H2")) {
            return "h2";
        }
        if (product.equalsIgnoreCase("PostgreSQL")) {
            return "postgresql";
        }
        throw new SQLException("CMTP supports H2 and PostgreSQL, not " + product);
    }

    private static String read(String script) throws SQLException {
        try (InputStream in = SchemaMigrations.class.getResourceAsStream(script)) {
            if (in == null) {
                throw new SQLException("migration script " + script + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SQLException("migration script " + script + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Splits a script into statements: {@code --} comments dropped, {@code ;} at a line's end ends one. */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                statements.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }
}
