-- Wakes the relays of every instance on this schema when a transaction that wrote outbox rows commits (PostgreSQL
-- delivers a notification at commit, once per transaction and payload). Without it, rows committed by an instance
-- whose relay does not hold the relay lock wait for the lock holder's idle poll. One channel for all schemas, as a
-- channel name is limited to 63 bytes: the payload names the schema, and each listener keeps its own.
CREATE FUNCTION bus_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('sluice_outbox', TG_TABLE_SCHEMA);
    RETURN NULL;
END
$$;

CREATE TRIGGER bus_outbox_notify AFTER INSERT ON bus_outbox FOR EACH STATEMENT EXECUTE FUNCTION bus_outbox_notify();
