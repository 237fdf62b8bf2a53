-- The saga's own state: what job-service needs to decide a job's next step. Only the saga writes it.
CREATE TABLE saga_job (
    job_id          text PRIMARY KEY,
    spec            bytea       NOT NULL,
    spec_sha256     text        NOT NULL,
    stage           text        NOT NULL,
    attempt         int         NOT NULL DEFAULT 1,
    worker_status   text        NOT NULL DEFAULT 'NONE',
    worker_id       text,
    node_id         text,
    step_index      int         NOT NULL DEFAULT 0,
    step_running    boolean     NOT NULL DEFAULT false,
    stop_requested  boolean     NOT NULL DEFAULT false,
    outcome         text,
    reason          text,
    failed_step     text,
    exit_code       int,
    finished        boolean     NOT NULL DEFAULT false,
    queue_deadline  timestamptz,
    run_deadline    timestamptz,
    version         bigint      NOT NULL DEFAULT 0
);
CREATE INDEX saga_job_queue_deadline ON saga_job (queue_deadline) WHERE queue_deadline IS NOT NULL;
CREATE INDEX saga_job_run_deadline ON saga_job (run_deadline) WHERE run_deadline IS NOT NULL;

-- Resources a job holds, in the order it acquired them; released in reverse.
CREATE TABLE saga_resource (
    job_id       text    NOT NULL REFERENCES saga_job (job_id),
    position     int     NOT NULL,
    type         text    NOT NULL,
    resource_id  text    NOT NULL,
    granted      bytea   NOT NULL,
    release      text    NOT NULL DEFAULT 'HELD',
    PRIMARY KEY (job_id, position)
);

-- Privileges each owner holds (configured; seeded at start).
CREATE TABLE owner_privilege (
    owner      text NOT NULL,
    privilege  text NOT NULL,
    PRIMARY KEY (owner, privilege)
);

-- The projections: built only from sluice.job.events, so they can be rebuilt from offset 0.
CREATE TABLE job_view (
    job_id               text PRIMARY KEY,
    seq                  bigserial UNIQUE,
    owner                text,
    name                 text,
    target               text,
    state                text        NOT NULL,
    attempt              int         NOT NULL DEFAULT 1,
    current_step_index   int,
    current_step         text,
    worker_id            text,
    node_id              text,
    outcome              text,
    reason               text,
    submitted_at         timestamptz NOT NULL,
    queued_at            timestamptz,
    worker_assigned_at   timestamptz,
    started_at           timestamptz,
    stop_requested_at    timestamptz,
    finished_at          timestamptz,
    cleaned_up_at        timestamptz,
    version              bigint      NOT NULL DEFAULT 0
);
CREATE INDEX job_view_state ON job_view (state, seq);
CREATE INDEX job_view_owner ON job_view (owner, seq);

CREATE TABLE job_history (
    job_id       text        NOT NULL,
    position     int         NOT NULL,
    event_id     text        NOT NULL UNIQUE,
    event_type   text        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    state        text        NOT NULL,
    detail       jsonb       NOT NULL,
    PRIMARY KEY (job_id, position)
);

CREATE TABLE job_step (
    job_id       text    NOT NULL,
    step_index   int     NOT NULL,
    name         text    NOT NULL,
    state        text    NOT NULL,
    attempt      int     NOT NULL DEFAULT 1,
    pid          int,
    started_at   timestamptz,
    duration_ms  bigint,
    exit_code    int,
    signal       text,
    oom_killed   boolean NOT NULL DEFAULT false,
    reason       text,
    PRIMARY KEY (job_id, step_index)
);

CREATE TABLE job_resource_view (
    job_id       text NOT NULL,
    type         text NOT NULL,
    resource_id  text NOT NULL,
    PRIMARY KEY (job_id, type)
);
