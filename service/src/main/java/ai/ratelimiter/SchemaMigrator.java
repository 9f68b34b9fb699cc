package ai.ratelimiter;

import io.dropwizard.db.DataSourceFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import liquibase.Liquibase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * Applies {@code migrations.xml} to a database, as the {@code db migrate} command does, for
 * start-ups that migrate by themselves (the embedded Postgres, or {@code migrateOnStart}).
 */
final class SchemaMigrator {

    private SchemaMigrator() {
    }

    @SuppressWarnings("deprecation") // Liquibase.update(String) is the API dropwizard-migrations uses too.
    static void migrate(DataSourceFactory database) throws SQLException, LiquibaseException {
        try (Connection connection = DriverManager.getConnection(database.getUrl(), database.getUser(),
                database.getPassword())) {
            Liquibase liquibase = new Liquibase("migrations.xml", new ClassLoaderResourceAccessor(),
                    new JdbcConnection(connection));
            liquibase.update("");
        }
    }
}
