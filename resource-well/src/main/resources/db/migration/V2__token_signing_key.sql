-- The keys that sign the token provisioner's JWTs (ES256, as private JWKs). The first instance of the well to need
-- a key creates it; every instance signs with the one current key and serves the public half of every row as its
-- JWKS. A rotation (not built yet) would mark the current key retired and insert a new current one, and drop a
-- retired key once the longest token lifetime has passed.
CREATE TABLE token_signing_key (
    key_id     text        PRIMARY KEY,
    jwk        text        NOT NULL,
    current    boolean     NOT NULL,
    created_at timestamptz NOT NULL
);

-- At most one current key: a second instance's INSERT ... ON CONFLICT DO NOTHING loses to the first one's.
CREATE UNIQUE INDEX token_signing_key_one_current ON token_signing_key (current) WHERE current;
