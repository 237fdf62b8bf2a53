-- The types this well last declared on sluice.resource.types, so that one taken out of its configuration is retired.
CREATE TABLE declared_type (
    type        text        PRIMARY KEY,
    declared_at timestamptz NOT NULL
);
