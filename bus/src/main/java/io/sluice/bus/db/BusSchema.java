package io.sluice.bus.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/** Applies the plumbing tables and then the service's own migrations to the service's PostgreSQL schema. */
public final class BusSchema {

    static final String BUS_LOCATION = "classpath:io/sluice/bus/db/migration";
    static final String BUS_HISTORY_TABLE = "bus_schema_history";

    private BusSchema() {
    }

    /**
     * Migrates {@code schema}: the bus tables (their own history table, so their versions never collide with the
     * service's) and, when {@code serviceLocation} is not null, the service's migrations.
     */
    public static void migrate(DataSource dataSource, String schema, String serviceLocation) {
        flyway(dataSource, schema, BUS_LOCATION, BUS_HISTORY_TABLE).load().migrate();
        if (serviceLocation != null) {
            // The schema already holds the plumbing tables: baseline below V1 so all of the service's versions apply.
            flyway(dataSource, schema, serviceLocation, "flyway_schema_history")
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
        }
    }

    private static FluentConfiguration flyway(DataSource dataSource, String schema, String location,
                                              String historyTable) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .locations(location)
                .table(historyTable);
    }
}
