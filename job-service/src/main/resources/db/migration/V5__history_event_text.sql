-- The event part of the record form ({metadata, type, payload}) as the encoder wrote it: jsonb (detail) keeps the
-- values but orders an object's keys its own way, and /jobs/{id}/events gives the fields in the schemas' order, as
-- `sluice events -o json` does. Rows written before have none; the endpoint then reads detail.
ALTER TABLE job_history ADD COLUMN event_text text;
