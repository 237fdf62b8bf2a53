package io.sluice.jobs.store;

import io.sluice.bus.db.SqlTimes;
import io.sluice.jobs.domain.DeclaredResourceType;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The resource types the wells declared on sluice.resource.types (table resource_type): written as the consumer
 * reads the topic, the last announcement of a type read winning, and read at intake in the submission's transaction.
 */
@Singleton
public final class ResourceTypeStore {

    /** The types declared and not retired, by name. */
    public List<DeclaredResourceType> declared(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT type, privilege FROM resource_type WHERE retired_at IS NULL ORDER BY type");
             ResultSet rows = select.executeQuery()) {
            List<DeclaredResourceType> types = new ArrayList<>();
            while (rows.next()) {
                types.add(new DeclaredResourceType(rows.getString("type"), rows.getString("privilege")));
            }
            return types;
        }
    }

    /** A well declared the type: jobs may ask for it, with its privilege (null or empty: any owner). */
    public void declare(Connection connection, String type, String privilege, Instant announcedAt, String readAt)
            throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO resource_type (type, privilege, retired_at, retired_reason, announced_at, read_at)
                VALUES (?, ?, NULL, NULL, ?, ?)
                ON CONFLICT (type) DO UPDATE SET privilege = excluded.privilege, retired_at = NULL,
                    retired_reason = NULL, announced_at = excluded.announced_at, read_at = excluded.read_at""")) {
            upsert.setString(1, type);
            upsert.setString(2, privilege == null || privilege.isBlank() ? null : privilege);
            upsert.setTimestamp(3, SqlTimes.timestamp(announcedAt));
            upsert.setString(4, readAt);
            upsert.executeUpdate();
        }
    }

    /** No well serves the type any more: jobs asking for it are rejected until it is declared again. */
    public void retire(Connection connection, String type, String reason, Instant announcedAt, String readAt)
            throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO resource_type (type, privilege, retired_at, retired_reason, announced_at, read_at)
                VALUES (?, NULL, ?, ?, ?, ?)
                ON CONFLICT (type) DO UPDATE SET retired_at = excluded.retired_at,
                    retired_reason = excluded.retired_reason, announced_at = excluded.announced_at,
                    read_at = excluded.read_at""")) {
            upsert.setString(1, type);
            upsert.setTimestamp(2, SqlTimes.timestamp(announcedAt));
            upsert.setString(3, reason);
            upsert.setTimestamp(4, SqlTimes.timestamp(announcedAt));
            upsert.setString(5, readAt);
            upsert.executeUpdate();
        }
    }
}
