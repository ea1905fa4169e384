package org.cmtp.server.metrics;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;

import org.cmtp.server.schema.SchemaMigrations;

/**
 * An H2 database in a test's directory, its schema made by the server's migrations, with the
 * test persistence unit {@code cmtp-contract} on it: where the hourly traffic of the tests
 * is written, as the server writes it.
 */
final class TrafficDatabase implements AutoCloseable {

    private final String url;
    private final EntityManagerFactory factory;

    TrafficDatabase(Path dir) throws SQLException {
        url = "jdbc:h2:file:" + dir.resolve("traffic");
        try (Connection c = DriverManager.getConnection(url, "", "")) {
            SchemaMigrations.migrate(c);
        }
        factory = Persistence.createEntityManagerFactory("cmtp-contract", Map.of("jakarta.persistence.jdbc.url", url,
                "jakarta.persistence.jdbc.user", "", "jakarta.persistence.jdbc.password", ""));
    }

    /** One instance's hourly traffic on this database. */
    HourlyTraffic traffic(Clock clock) {
        return new HourlyTraffic(new CommittingTrafficHours(factory), clock);
    }

    /** Runs {@code statement} on a connection of its own, outside the server's code. */
    void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "", ""); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Override
    public void close() {
        factory.close();
    }
}
