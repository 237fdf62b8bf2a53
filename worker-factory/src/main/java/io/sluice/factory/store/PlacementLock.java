package io.sluice.factory.store;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Serializes every change of the factory's capacity picture across its instances: held until the transaction ends,
 * so two instances never count the same free slot twice.
 */
@Singleton
public final class PlacementLock {

    /** An arbitrary key of the factory's own (PostgreSQL advisory locks share one key space per database). */
    private static final long KEY = 0x51_7C_E0_FAC7L;
    /** The statement that takes the lock; a store may send it together with its first query. */
    static final String ACQUIRE = "SELECT pg_advisory_xact_lock(" + KEY + ")";

    public void acquire(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(ACQUIRE);
        }
    }
}
