-- worker-factory's own state: the node registry, the workers it placed, the demands it queued, and the workers
-- nodes host unasked (being destroyed). Every row changes in the transaction of the event that caused the change.

-- The node registry, built from heartbeats.
CREATE TABLE node (
    node_id            text        PRIMARY KEY,
    hostname           text        NOT NULL,
    targets            text[]      NOT NULL,
    slots_total        integer     NOT NULL,
    draining           boolean     NOT NULL,
    isolation          text        NOT NULL,
    version            text        NOT NULL,
    started_at         timestamptz NOT NULL,
    interval_millis    bigint      NOT NULL,
    -- The node's clock: orders its heartbeats.
    last_sent_at       timestamptz NOT NULL,
    -- When the node was last heard of: the heartbeat's send time, never later than its receipt.
    last_heartbeat_at  timestamptz NOT NULL,
    first_seen_at      timestamptz NOT NULL,
    -- When the factory declared the node lost; null while it is live.
    lost_at            timestamptz
);

-- Demands of workers, one per job and attempt (a re-delivered demand hits the key); queued ones in FIFO order.
CREATE TABLE demand (
    job_id            text        NOT NULL,
    attempt           integer     NOT NULL,
    seq               bigserial   NOT NULL UNIQUE,
    requested_target  text        NOT NULL,
    target            text,
    state             text        NOT NULL CHECK (state IN ('QUEUED', 'PLACED', 'WITHDRAWN', 'REJECTED')),
    -- The WorkerDemanded envelope (inputs, resources, owner...) while the demand waits; dropped once decided.
    envelope          bytea,
    demanded_at       timestamptz NOT NULL,
    decided_at        timestamptz,
    PRIMARY KEY (job_id, attempt)
);

CREATE INDEX demand_queue ON demand (target, seq) WHERE state = 'QUEUED';

-- Workers the factory placed; PREPARING, ASSIGNED and DESTROYING ones hold a slot of their node.
CREATE TABLE worker (
    worker_id          text        PRIMARY KEY,
    job_id             text        NOT NULL,
    attempt            integer     NOT NULL,
    target             text        NOT NULL,
    node_id            text        NOT NULL REFERENCES node (node_id),
    state              text        NOT NULL CHECK (state IN ('PREPARING', 'ASSIGNED', 'DESTROYING', 'DESTROYED', 'LOST')),
    -- Whether WorkerReleased is owed to the job once the node reports the worker destroyed.
    release_owed       boolean     NOT NULL DEFAULT false,
    placed_at          timestamptz NOT NULL,
    assigned_at        timestamptz,
    destroy_asked_at   timestamptz,
    ended_at           timestamptz,
    -- The node's clock when it reported the worker destroyed: older heartbeats may still list it.
    node_destroyed_at  timestamptz,
    reason             text
);

CREATE INDEX worker_holding_slot ON worker (node_id) WHERE state IN ('PREPARING', 'ASSIGNED', 'DESTROYING');

-- Workers a node hosts that the factory does not know as live there; destroyed once, holding a slot until gone.
CREATE TABLE stray_worker (
    node_id          text        NOT NULL,
    worker_id        text        NOT NULL,
    destroy_sent_at  timestamptz NOT NULL,
    PRIMARY KEY (node_id, worker_id)
);
