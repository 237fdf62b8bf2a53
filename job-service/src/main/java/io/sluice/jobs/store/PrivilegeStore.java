package io.sluice.jobs.store;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The privileges owners hold (table owner_privilege): read at intake, replaced from configuration at start. */
@Singleton
public final class PrivilegeStore {

    public Set<String> privilegesOf(Connection connection, String owner) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT privilege FROM owner_privilege WHERE owner = ?")) {
            select.setString(1, owner);
            Set<String> privileges = new HashSet<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    privileges.add(rows.getString(1));
                }
            }
            return privileges;
        }
    }

    /** Makes the table hold exactly {@code privilegesByOwner}. */
    public void replaceAll(Connection connection, Map<String, ? extends Set<String>> privilegesByOwner)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM owner_privilege")) {
            delete.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO owner_privilege (owner, privilege) VALUES (?, ?)")) {
            for (var owner : privilegesByOwner.entrySet()) {
                for (String privilege : owner.getValue()) {
                    insert.setString(1, owner.getKey());
                    insert.setString(2, privilege);
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }
}
