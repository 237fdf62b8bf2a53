-- The demands job-service made, one per job and type, in arrival order per type: a QUEUED one waits for capacity,
-- an ADMITTED one has its instance, a WITHDRAWN one left the queue before it got one.
CREATE TABLE resource_demand (
    demand_id   text        PRIMARY KEY,
    seq         bigserial   NOT NULL,
    job_id      text        NOT NULL,
    type        text        NOT NULL,
    owner       text        NOT NULL,
    parameters  jsonb       NOT NULL,
    state       text        NOT NULL,
    demanded_at timestamptz NOT NULL
);
CREATE INDEX resource_demand_queue ON resource_demand (type, seq) WHERE state = 'QUEUED';

-- Each instance the well made, and where it is in its life. An instance that holds capacity holds one slot of its
-- type, and the unique index makes two holding the same slot impossible, whatever two wells decide.
CREATE TABLE resource_instance (
    instance_id    text        PRIMARY KEY,
    type           text        NOT NULL,
    job_id         text        NOT NULL,
    owner          text        NOT NULL,
    slot           integer     NOT NULL,
    state          text        NOT NULL,
    admitted_at    timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    release_reason text,
    metadata       jsonb       NOT NULL,
    version        bigint      NOT NULL
);
CREATE UNIQUE INDEX resource_instance_slot ON resource_instance (type, slot)
    WHERE state IN ('PROVISIONING', 'GRANTED', 'RELEASING');
CREATE INDEX resource_instance_expiry ON resource_instance (expires_at) WHERE state = 'GRANTED';
