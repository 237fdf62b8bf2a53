-- The probe table of the transaction tests only; repeatable, so it never takes a version the well's own
-- migrations need.
CREATE TABLE IF NOT EXISTS transaction_probe (
    id         text PRIMARY KEY,
    written_by text NOT NULL
);
