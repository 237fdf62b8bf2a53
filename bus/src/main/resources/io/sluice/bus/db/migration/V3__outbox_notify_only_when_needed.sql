-- A transaction written while its own instance's relay leads says so (set_config('sluice.outbox_relay', 'local',
-- true)): that relay is woken in-process after the commit, so the notification is skipped. It is not free: a
-- transaction that notifies takes a cluster-wide lock from just before its commit until after it (PostgreSQL
-- serializes its notification queue that way), and every listening session in the database is signalled. Rows
-- committed without the setting (another instance, a hand-written INSERT) notify as before.
CREATE OR REPLACE FUNCTION bus_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('sluice.outbox_relay', true) IS DISTINCT FROM 'local' THEN
        PERFORM pg_notify('sluice_outbox', TG_TABLE_SCHEMA);
    END IF;
    RETURN NULL;
END
$$;
