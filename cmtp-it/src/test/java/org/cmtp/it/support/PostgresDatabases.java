package org.cmtp.it.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Under {@code -Ppostgresql} every server the integration tests start gets its own fresh
 * PostgreSQL database, made here as user {@code postgres} on the server named by
 * {@code it.postgres.url} (default {@code jdbc:postgresql://127.0.0.1:5432/}).
 * {@link #main} does it for the Arquillian server before Maven starts it.
 */
public final class PostgresDatabases {

    /** PostgreSQL's longest identifier. */
    private static final int MAX_NAME = 63;

    private PostgresDatabases() {
    }

    /** True when the suite runs against PostgreSQL ({@code -Ppostgresql}). */
    public static boolean enabled() {
        return "postgresql".equals(System.getProperty("it.database"));
    }

    public static String serverUrl() {
        String url = System.getProperty("it.postgres.url", "jdbc:postgresql://127.0.0.1:5432/");
        return url.endsWith("/") ? url : url + "/";
    }

    public static String user() {
        return System.getProperty("it.postgres.user", "postgres");
    }

    /**
     * This run's id ({@code it.run}, the time the Maven run started, set by cmtp-it's pom):
     * part of every database name, so that two runs on one machine (two checkouts, or CI
     * beside a developer) never drop each other's databases.
     */
    public static String run() {
        return System.getProperty("it.run", "local").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
    }

    /**
     * This run's database name for {@code label}: {@code cmtp_it_<run>_<label>}, lower case
     * letters, digits and underscores, at most 63 characters (PostgreSQL cuts longer names
     * silently, which could make two labels one database: a long label is shortened and
     * given a hash of itself instead).
     */
    public static String name(String label) {
        String clean = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        String name = prefix() + clean;
        if (name.length() <= MAX_NAME) {
            return name;
        }
        String hash = Integer.toHexString(clean.hashCode());
        return name.substring(0, MAX_NAME - hash.length() - 1) + "_" + hash;
    }

    private static String prefix() {
        return "cmtp_it_" + run() + "_";
    }

    /** Drops {@code database} if it exists and creates it empty; returns its JDBC URL. */
    public static String recreate(String database) throws SQLException {
        try (Connection admin = connectToServer(); Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        }
        return serverUrl() + database;
    }

    /**
     * Drops every database of this run ({@code cmtp_it_<run>_*}), with the connections its
     * servers may still hold; run by Maven after the integration tests, whatever their outcome.
     */
    public static void dropThisRun() throws SQLException {
        List<String> databases = new ArrayList<>();
        try (Connection admin = connectToServer()) {
            try (PreparedStatement list = admin.prepareStatement("SELECT datname FROM pg_database WHERE datname LIKE ?")) {
                list.setString(1, prefix().replace("_", "\\_") + "%");
                try (ResultSet rows = list.executeQuery()) {
                    while (rows.next()) {
                        databases.add(rows.getString(1));
                    }
                }
            }
            try (Statement s = admin.createStatement()) {
                for (String database : databases) {
                    s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                }
            }
        }
        System.out.println("PostgreSQL databases of this test run dropped: " + databases);
    }

    private static Connection connectToServer() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user());
        // The driver directly: DriverManager does not see it when Maven runs this in its own JVM.
        return new org.postgresql.Driver().connect(serverUrl() + "postgres", properties);
    }

    /**
     * {@code PostgresDatabases LABEL}: recreates this run's database for LABEL (the
     * Arquillian server's, before Maven starts it). {@code PostgresDatabases --drop-run}:
     * drops this run's databases; when PostgreSQL cannot be reached that is only reported,
     * since a pass on H2 may have made none.
     */
    public static void main(String[] args) throws SQLException {
        if (args.length == 1 && args[0].equals("--drop-run")) {
            try {
                dropThisRun();
            } catch (SQLException e) {
                System.out.println("PostgreSQL databases of this test run not dropped: " + e.getMessage());
            }
            return;
        }
        System.out.println("PostgreSQL database for the integration tests: " + recreate(name(args[0])));
    }
}
