package io.sluice.well.store;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Serializes every decision about one resource type across the instances of the well, until the transaction ends:
 * two wells never count the same free slot twice. Plain JDBC: a PostgreSQL advisory lock is one function call that
 * no repository method expresses.
 */
@Singleton
public final class TypeLock {

    public void lock(Connection connection, String type) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, "resource-well/" + type);
            lock.executeQuery().close();
        }
    }
}
