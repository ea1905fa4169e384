package org.cmtp.server.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The migrations upgrade a database, never recreate it: on a real H2 file and a real
 * PostgreSQL database (its own, made fresh; {@code -Dcmtp.test.postgres=jdbc:postgresql://…/postgres}
 * names the server, default 127.0.0.1:5432 as {@code postgres}; skipped when that server
 * cannot be reached).
 */
class SchemaMigrationsTest {

    private static final String POSTGRES = System.getProperty("cmtp.test.postgres",
            "jdbc:postgresql://127.0.0.1:5432/postgres");

    @TempDir
    static Path dir;

    static Stream<String> databases() {
        return Stream.of("h2", "postgresql");
    }

    private static Connection fresh(String vendor, String name) throws SQLException {
        if (vendor.equals("h2")) {
            return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve(name) + ";DB_CLOSE_ON_EXIT=FALSE");
        }
        String database = "cmtp_test_" + name;
        try (Connection admin = DriverManager.getConnection(POSTGRES, "postgres", "");
                Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            Assumptions.abort("no PostgreSQL at " + POSTGRES + ": " + e.getMessage());
        }
        return DriverManager.getConnection(POSTGRES.substring(0, POSTGRES.lastIndexOf('/') + 1) + database,
                "postgres", "");
    }

    /** Every version this code knows, in order. */
    private static final List<Integer> ALL = SchemaMigrations.MIGRATIONS.stream()
            .map(SchemaMigrations.Migration::version).toList();
    /** What a database baselined at version 1 gets on top. */
    private static final List<Integer> AFTER_V1 = ALL.stream().filter(v -> v > 1).toList();

    @ParameterizedTest
    @MethodSource("databases")
    void migratesAnEmptyDatabaseAndLeavesItAloneTheSecondTime(String vendor) throws SQLException {
        try (Connection c = fresh(vendor, "empty")) {
            assertEquals(ALL, SchemaMigrations.migrate(c));
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO CMTP_ADMIN_CREDENTIAL (ID, CHANGED, PASSWORD_HASH) VALUES (1, X'00', 'kept')"
                        .replace("X'00'", vendor.equals("h2") ? "X'00'" : "'\\x00'::bytea"));
                assertEquals(0, count(s, "SELECT SEQ_COUNT FROM SEQUENCE WHERE SEQ_NAME = 'SEQ_GEN_TABLE'"));
            }

            assertEquals(List.of(), SchemaMigrations.migrate(c), "second run is a no-op");
            try (Statement s = c.createStatement()) {
                assertEquals(1, count(s, "SELECT COUNT(*) FROM CMTP_ADMIN_CREDENTIAL WHERE PASSWORD_HASH = 'kept'"));
                assertEquals(SchemaMigrations.latestVersion(), count(s, "SELECT MAX(VERSION) FROM CMTP_SCHEMA_VERSION"));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void baselinesADatabaseMadeByTheOldCreateMode(String vendor) throws SQLException {
        try (Connection c = fresh(vendor, "createmode")) {
            // The layout create-mode left behind: the tables (V1 is exactly that), a row, no history.
            try (Statement s = c.createStatement()) {
                String v1 = new String(SchemaMigrations.class.getResourceAsStream(vendor + "/V1__initial_schema.sql")
                        .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                for (String sql : SchemaMigrations.statements(v1)) {
                    s.execute(sql);
                }
                s.executeUpdate("UPDATE SEQUENCE SET SEQ_COUNT = 50");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            assertTrue(!SchemaMigrations.tableExists(c, SchemaMigrations.HISTORY));

            assertEquals(AFTER_V1, SchemaMigrations.migrate(c), "baselined at V1, only the later ones run");
            try (Statement s = c.createStatement()) {
                assertEquals(50, count(s, "SELECT SEQ_COUNT FROM SEQUENCE WHERE SEQ_NAME = 'SEQ_GEN_TABLE'"));
                assertEquals(SchemaMigrations.latestVersion(), count(s, "SELECT MAX(VERSION) FROM CMTP_SCHEMA_VERSION"));
            }
            assertEquals(List.of(), SchemaMigrations.migrate(c));
        }
    }

    /**
     * Instances that start together on one empty PostgreSQL database all migrate at once:
     * the advisory lock lets one apply V1 while the others wait and then find it done.
     * Without the lock they would all create the history table and the V1 tables, and
     * all but one would fail.
     */
    @org.junit.jupiter.api.Test
    void instancesStartingTogetherOnOnePostgresDatabaseMigrateItOnce() throws Exception {
        int instances = 4;
        List<Connection> connections = new java.util.ArrayList<>();
        try {
            connections.add(fresh("postgresql", "together"));
            String url = connections.get(0).getMetaData().getURL();
            for (int i = 1; i < instances; i++) {
                connections.add(DriverManager.getConnection(url, "postgres", ""));
            }
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(instances);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(instances);
            try {
                List<java.util.concurrent.Future<List<Integer>>> results = new java.util.ArrayList<>();
                for (Connection c : connections) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return SchemaMigrations.migrate(c);
                    }));
                }
                List<List<Integer>> applied = new java.util.ArrayList<>();
                for (var result : results) {
                    applied.add(result.get(60, java.util.concurrent.TimeUnit.SECONDS));
                }
                assertEquals(1, applied.stream().filter(ALL::equals).count(), "the migrations applied once: " + applied);
                assertEquals(instances - 1, applied.stream().filter(List::isEmpty).count(), applied.toString());
            } finally {
                pool.shutdownNow();
            }
            try (Statement s = connections.get(0).createStatement()) {
                assertEquals(ALL.size(), count(s, "SELECT COUNT(*) FROM CMTP_SCHEMA_VERSION"));
                assertEquals(1, count(s, "SELECT COUNT(*) FROM SEQUENCE"));
            }
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    private static int count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
