package org.cmtp.server.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
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

    /**
     * Part of this run's database names: two runs on one machine (two checkouts, or CI beside
     * a developer) never drop or fill each other's databases.
     */
    private static final String RUN = Long.toString(ProcessHandle.current().pid(), 36) + "_"
            + Long.toString(System.currentTimeMillis(), 36);
    /** The PostgreSQL databases these tests made, dropped after them. */
    private static final List<String> MADE = new ArrayList<>();

    @TempDir
    static Path dir;

    @AfterAll
    static void dropDatabases() throws SQLException {
        if (MADE.isEmpty()) {
            return;
        }
        try (Connection admin = DriverManager.getConnection(POSTGRES, "postgres", "");
                Statement s = admin.createStatement()) {
            for (String database : MADE) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    static Stream<String> databases() {
        return Stream.of("h2", "postgresql");
    }

    private static Connection fresh(String vendor, String name) throws SQLException {
        if (vendor.equals("h2")) {
            return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve(name) + ";DB_CLOSE_ON_EXIT=FALSE");
        }
        String database = "cmtp_test_" + RUN + "_" + name;
        try (Connection admin = DriverManager.getConnection(POSTGRES, "postgres", "");
                Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + database);
            MADE.add(database);
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
                s.executeUpdate("INSERT INTO CMTP_ADMIN_CREDENTIAL (ID, CHANGED, PASSWORD_HASH)"
                        + " VALUES (1, CURRENT_TIMESTAMP, 'kept')");
                assertEquals(0, count(s, "SELECT SEQ_COUNT FROM SEQUENCE WHERE SEQ_NAME = 'SEQ_GEN_TABLE'"));
            }

            if (vendor.equals("postgresql")) {
                assertSealedContentIsNotCompressed(c);
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

    /**
     * V2 turns the Java-serialised instants of a V1 database into timestamps: every time
     * column of every table, with rows whose instants lie before and after 1970, carry
     * nanoseconds, or are null, comes out as the same instant (to the microsecond, the
     * columns' precision), the columns are TIMESTAMP WITH TIME ZONE and the indexes on them
     * are there again.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void convertsTheSerialisedInstantsOfAVersionOneDatabase(String vendor) throws Exception {
        Instant a = Instant.parse("2026-11-28T20:45:55.123456789Z");
        Instant b = Instant.parse("1969-12-31T23:59:59.999999Z");
        Instant c1 = Instant.parse("2038-01-19T03:14:08.000001Z");
        try (Connection c = fresh(vendor, "v1rows")) {
            assertEquals(List.of(1), SchemaMigrations.migrate(c, 1));
            insert(c, "INSERT INTO CMTP_ACCOUNT (ID, CREATED, ENABLED, NAME, PUBLIC_KEY, XZIBIT) VALUES (1, ?, TRUE, 'alice', ?, ?)",
                    serialised(a), new byte[32], new byte[8]);
            insert(c, "INSERT INTO CMTP_MESSAGE (ID, CLIENT_ADDRESS, CONTENT, RECEIPT_HASH, RECEIVED, SENDER, SIZE_BYTES,"
                    + " ACCOUNT_ID) VALUES (2, '127.0.0.1', ?, ?, ?, 'bob@example.org', 1, 1)",
                    new byte[1], new byte[32], serialised(b));
            insert(c, "INSERT INTO CMTP_SERVER_KEY (ID, CREATED, PUBLIC_KEY, SECRET_KEY) VALUES (3, ?, ?, ?)",
                    serialised(c1), new byte[32], new byte[32]);
            insert(c, "INSERT INTO CMTP_ADMIN_CREDENTIAL (ID, CHANGED, PASSWORD_HASH) VALUES (4, ?, 'hash')", serialised(b));
            String queue = "INSERT INTO CMTP_RELAY_QUEUE (ID, ATTEMPTS, CONTENT, LEASE_UNTIL, NEXT_ATTEMPT, IS_NOTICE, QUEUED,"
                    + " RECIPIENT_ACCOUNT, RECIPIENT_DOMAIN, SENDER) VALUES (?, 0, ?, ?, ?, FALSE, ?, 'x', 'example.net', 's')";
            insert(c, queue, 5L, new byte[1], serialised(c1), serialised(b), serialised(a));
            insert(c, queue, 6L, new byte[1], null, serialised(a), serialised(c1));
            String known = "INSERT INTO CMTP_KNOWN_SERVER (DOMAIN, FIRST_SEEN, LAST_SEEN, OFFERED_AT, OFFERED_KEY, PUBLIC_KEY)"
                    + " VALUES (?, ?, ?, ?, NULL, ?)";
            insert(c, known, "one.example", serialised(b), serialised(a), serialised(c1), new byte[32]);
            insert(c, known, "two.example", serialised(a), serialised(c1), null, new byte[32]);

            assertEquals(AFTER_V1, SchemaMigrations.migrate(c));

            assertTimes(c, "SELECT CREATED FROM CMTP_ACCOUNT", a);
            assertTimes(c, "SELECT RECEIVED FROM CMTP_MESSAGE", b);
            assertTimes(c, "SELECT CREATED FROM CMTP_SERVER_KEY", c1);
            assertTimes(c, "SELECT CHANGED FROM CMTP_ADMIN_CREDENTIAL", b);
            assertTimes(c, "SELECT QUEUED, NEXT_ATTEMPT, LEASE_UNTIL FROM CMTP_RELAY_QUEUE ORDER BY ID",
                    a, b, c1, c1, a, null);
            assertTimes(c, "SELECT FIRST_SEEN, LAST_SEEN, OFFERED_AT FROM CMTP_KNOWN_SERVER ORDER BY DOMAIN",
                    b, a, c1, a, c1, null);
            // The database itself now orders and compares times: the relay queue's due order.
            assertTimes(c, "SELECT NEXT_ATTEMPT FROM CMTP_RELAY_QUEUE WHERE NEXT_ATTEMPT < "
                    + "TIMESTAMP WITH TIME ZONE '2000-01-01 00:00:00+00' ORDER BY NEXT_ATTEMPT", b);
            assertTimestampColumns(c);
            assertTrue(hasIndex(c, "CMTP_RELAY_QUEUE", "CMTP_RELAY_DUE"), "CMTP_RELAY_DUE made again");
            assertTrue(hasIndex(c, "CMTP_MESSAGE", "CMTP_MESSAGE_ACCOUNT"), "CMTP_MESSAGE_ACCOUNT made again");
            assertEquals(List.of(), SchemaMigrations.migrate(c));
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void migratesAnEmptyVersionOneDatabase(String vendor) throws SQLException {
        try (Connection c = fresh(vendor, "v1empty")) {
            assertEquals(List.of(1), SchemaMigrations.migrate(c, 1));
            assertEquals(AFTER_V1, SchemaMigrations.migrate(c));
            assertTimestampColumns(c);
            try (Statement s = c.createStatement()) {
                assertEquals(0, count(s, "SELECT COUNT(*) FROM CMTP_RELAY_QUEUE"));
            }
        }
    }

    /**
     * V3 was released before V2: a database made then holds versions 1 and 3. V2 still runs
     * on it (the runner applies every version not recorded, not just those above the highest).
     */
    @ParameterizedTest
    @MethodSource("databases")
    void appliesTheTimesMigrationToADatabaseThatSkippedIt(String vendor) throws Exception {
        try (Connection c = fresh(vendor, "v1v3")) {
            assertEquals(List.of(1), SchemaMigrations.migrate(c, 1));
            try (Statement s = c.createStatement()) {
                String v3 = new String(SchemaMigrations.class.getResourceAsStream(vendor + "/V3__traffic_hours.sql")
                        .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                for (String sql : SchemaMigrations.statements(v3)) {
                    s.execute(sql);
                }
                s.executeUpdate("INSERT INTO CMTP_SCHEMA_VERSION (VERSION, DESCRIPTION, INSTALLED_ON)"
                        + " VALUES (3, 'traffic_hours', CURRENT_TIMESTAMP)");
            }
            insert(c, "INSERT INTO CMTP_ADMIN_CREDENTIAL (ID, CHANGED, PASSWORD_HASH) VALUES (1, ?, 'hash')",
                    serialised(Instant.parse("2026-11-28T21:00:00Z")));

            assertEquals(List.of(2), SchemaMigrations.migrate(c, 3));
            assertTimes(c, "SELECT CHANGED FROM CMTP_ADMIN_CREDENTIAL", Instant.parse("2026-11-28T21:00:00Z"));
            assertTimestampColumns(c);
            assertEquals(ALL.stream().filter(v -> v > 3).toList(), SchemaMigrations.migrate(c), "then the later ones");
            assertEquals(List.of(), SchemaMigrations.migrate(c));
        }
    }

    /** What this JVM's serialisation makes of an Instant: what V1's EclipseLink stored. */
    private static byte[] serialised(Instant instant) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(instant);
        }
        return bytes.toByteArray();
    }

    /** V4: bodies are sealed (incompressible), so PostgreSQL must not try pglz on each one. */
    private static void assertSealedContentIsNotCompressed(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT attrelid::regclass::text, attstorage FROM pg_attribute"
                     + " WHERE attname = 'content' AND attrelid IN ('cmtp_message'::regclass,"
                     + " 'cmtp_relay_queue'::regclass) ORDER BY 1")) {
            List<String> storage = new ArrayList<>();
            while (rs.next()) {
                storage.add(rs.getString(1) + "=" + rs.getString(2));
            }
            assertEquals(List.of("cmtp_message=e", "cmtp_relay_queue=e"), storage, "EXTERNAL: out of line, uncompressed");
        }
    }

    private static void insert(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    p.setNull(i + 1, Types.BINARY);
                } else {
                    p.setObject(i + 1, values[i]);
                }
            }
            p.executeUpdate();
        }
    }

    /** The rows' columns, row by row, are these instants (null for SQL NULL), to the microsecond. */
    private static void assertTimes(Connection c, String query, Instant... expected) throws SQLException {
        List<Instant> read = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    OffsetDateTime time = rs.getObject(i, OffsetDateTime.class);
                    read.add(time == null ? null : time.toInstant());
                }
            }
        }
        List<Instant> micros = new ArrayList<>();
        for (Instant instant : expected) {
            micros.add(instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS));
        }
        assertEquals(micros, read, query);
    }

    private static final List<String> TIME_COLUMNS = List.of("CMTP_ACCOUNT.CREATED", "CMTP_MESSAGE.RECEIVED",
            "CMTP_SERVER_KEY.CREATED", "CMTP_ADMIN_CREDENTIAL.CHANGED", "CMTP_RELAY_QUEUE.QUEUED",
            "CMTP_RELAY_QUEUE.NEXT_ATTEMPT", "CMTP_RELAY_QUEUE.LEASE_UNTIL", "CMTP_KNOWN_SERVER.FIRST_SEEN",
            "CMTP_KNOWN_SERVER.LAST_SEEN", "CMTP_KNOWN_SERVER.OFFERED_AT");

    private static void assertTimestampColumns(Connection c) throws SQLException {
        boolean lower = SchemaMigrations.vendor(c).equals("postgresql");
        for (String qualified : TIME_COLUMNS) {
            String[] parts = qualified.split("\\.");
            String table = lower ? parts[0].toLowerCase(Locale.ROOT) : parts[0];
            String column = lower ? parts[1].toLowerCase(Locale.ROOT) : parts[1];
            try (ResultSet rs = c.getMetaData().getColumns(null, c.getSchema(), table, column)) {
                assertTrue(rs.next(), qualified + " exists");
                String type = rs.getString("TYPE_NAME").toLowerCase(Locale.ROOT);
                assertTrue(type.equals("timestamptz") || type.equals("timestamp with time zone"),
                        qualified + " is " + type);
            }
        }
    }

    private static boolean hasIndex(Connection c, String table, String index) throws SQLException {
        boolean lower = SchemaMigrations.vendor(c).equals("postgresql");
        try (ResultSet rs = c.getMetaData().getIndexInfo(null, c.getSchema(),
                lower ? table.toLowerCase(Locale.ROOT) : table, false, false)) {
            while (rs.next()) {
                if (index.equalsIgnoreCase(rs.getString("INDEX_NAME"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
