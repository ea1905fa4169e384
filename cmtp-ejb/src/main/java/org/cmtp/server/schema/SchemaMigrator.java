package org.cmtp.server.schema;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Runs the {@link SchemaMigrations} on the server's data source when the application
 * starts. Every other startup bean that touches the database names this one in
 * {@code @DependsOn}, so nothing reads or writes a table before the schema is current.
 * A failed migration fails the deployment. Bean-managed transactions: the migrations
 * commit each script themselves.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigrator {

    @Resource(lookup = "jdbc/cmtp")
    private DataSource dataSource;

    @PostConstruct
    void migrate() {
        try (Connection connection = dataSource.getConnection()) {
            SchemaMigrations.migrate(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("CMTP schema migration failed: " + e.getMessage(), e);
        }
    }
}
