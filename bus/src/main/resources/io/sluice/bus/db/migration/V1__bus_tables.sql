-- Plumbing tables every database-backed service has in its own schema.

-- Idempotent consumers: one row per (consumer, event) handled, inserted first inside the handler's transaction.
CREATE TABLE bus_processed_event (
    consumer     text        NOT NULL,
    event_key    text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_key)
);

-- Transactional outbox: events are written here in the same transaction as the state change that produced them.
CREATE TABLE bus_outbox (
    id           bigserial   PRIMARY KEY,
    topic        text        NOT NULL,
    record_key   bytea,
    record_value bytea       NOT NULL,
    event_id     text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);

CREATE INDEX bus_outbox_unpublished ON bus_outbox (id) WHERE published_at IS NULL;
