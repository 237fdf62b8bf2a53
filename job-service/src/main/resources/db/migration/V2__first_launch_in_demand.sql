-- Whether the current attempt's WorkerDemanded carried step 0's launch, which worker-factory then sends to the node
-- with the placement. Jobs saved before demands carried it keep false: job-service launches their step 0 itself
-- once the worker is assigned, as it did when they were demanded.
ALTER TABLE saga_job ADD COLUMN first_launch_in_demand boolean NOT NULL DEFAULT false;
