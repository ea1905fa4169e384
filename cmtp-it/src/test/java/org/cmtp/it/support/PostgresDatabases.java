package org.cmtp.it.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;

/**
 * Under {@code -Ppostgresql} every server the integration tests start gets its own fresh
 * PostgreSQL database, made here as user {@code postgres} on the server named by
 * {@code it.postgres.url} (default {@code jdbc:postgresql://127.0.0.1:5432/}).
 * {@link #main} does it for the Arquillian server before Maven starts it.
 */
public final class PostgresDatabases {

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

    /** A database name for {@code label}: lower case letters, digits and underscores. */
    public static String name(String label) {
        return "cmtp_it_" + label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
    }

    /** Drops {@code database} if it exists and creates it empty; returns its JDBC URL. */
    public static String recreate(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user());
        // The driver directly: DriverManager does not see it when Maven runs this in its own JVM.
        try (Connection admin = new org.postgresql.Driver().connect(serverUrl() + "postgres", properties);
                Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        }
        return serverUrl() + database;
    }

    /** {@code PostgresDatabases DATABASE}: recreates it. */
    public static void main(String[] args) throws SQLException {
        System.out.println("PostgreSQL database for the integration tests: " + recreate(args[0]));
    }
}
