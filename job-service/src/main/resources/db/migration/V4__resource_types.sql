-- The resource types the wells declare on sluice.resource.types (intake validates jobs against them), replacing the
-- list job-service kept in its configuration. One row per type: the last declaration or retirement read wins.
-- Job-service keeps only what intake needs (the name and the privilege); the rest of a type is the well's.
CREATE TABLE resource_type (
    type            text PRIMARY KEY,
    -- The privilege an owner must hold to ask for the type; null: any owner may ask.
    privilege       text,
    -- Null while the type is declared; when a well retired it, jobs asking for it are rejected.
    retired_at      timestamptz,
    retired_reason  text,
    -- When the well announced the row's last change, and where job-service read it (topic/partition@offset).
    announced_at    timestamptz NOT NULL,
    read_at         text        NOT NULL
);
