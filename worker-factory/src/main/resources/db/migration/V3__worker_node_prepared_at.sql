-- The node's clock when it reported the worker prepared: a heartbeat the node sent well after that must list the
-- worker, or the node no longer has it (it restarted without its state, say) and the worker is lost.
ALTER TABLE worker ADD COLUMN node_prepared_at timestamptz;
