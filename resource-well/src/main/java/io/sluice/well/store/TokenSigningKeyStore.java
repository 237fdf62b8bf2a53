package io.sluice.well.store;

import com.nimbusds.jose.jwk.ECKey;
import io.sluice.bus.db.SqlTimes;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The token signing keys table: the current key, made once for every instance of the well, and older ones. Plain
 * JDBC, not a repository: the race-free "insert unless one is current, then read the winner" is an
 * {@code ON CONFLICT DO NOTHING} on a partial unique index, which no repository method expresses.
 */
@Singleton
public final class TokenSigningKeyStore {

    /**
     * The current key, which is {@code candidate} when there was none; when another instance of the well stores its
     * own candidate at the same time, both get the one that won.
     */
    public ECKey currentOrCreate(Connection connection, ECKey candidate, Instant createdAt) throws SQLException {
        Optional<ECKey> current = current(connection);
        if (current.isPresent()) {
            return current.get();
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO token_signing_key "
                + "(key_id, jwk, current, created_at) VALUES (?, ?, true, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, candidate.getKeyID());
            insert.setString(2, candidate.toJSONString());
            insert.setTimestamp(3, SqlTimes.timestamp(createdAt));
            insert.executeUpdate();
        }
        return current(connection).orElseThrow(() -> new SQLException(
                "No current token signing key in token_signing_key right after storing one"));
    }

    /** The key that signs, if one was made. */
    public Optional<ECKey> current(Connection connection) throws SQLException {
        List<ECKey> keys = select(connection, "SELECT jwk FROM token_signing_key WHERE current");
        return keys.stream().findFirst();
    }

    /** Every key, current first, then the newest: those whose tokens may still be in use. */
    public List<ECKey> all(Connection connection) throws SQLException {
        return select(connection, "SELECT jwk FROM token_signing_key ORDER BY current DESC, created_at DESC, key_id");
    }

    private static List<ECKey> select(Connection connection, String sql) throws SQLException {
        List<ECKey> keys = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql);
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                keys.add(parse(rows.getString("jwk")));
            }
        }
        return keys;
    }

    private static ECKey parse(String jwk) throws SQLException {
        try {
            return ECKey.parse(jwk);
        } catch (ParseException e) {
            // The parser's message may quote the key's JSON, private part included: keep it out.
            throw new SQLException("A row of token_signing_key holds no valid EC JWK (at offset "
                    + e.getErrorOffset() + ")");
        }
    }
}
