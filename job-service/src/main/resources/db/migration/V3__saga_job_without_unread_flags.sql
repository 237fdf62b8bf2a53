-- Every demand carries step 0's launch now, and no released version saved a job whose demand did not: the flag
-- that told the two apart is gone with the branch that launched step 0 from job-service. stop_requested was written
-- and never read (the job view keeps stop_requested_at from JobStopping).
ALTER TABLE saga_job DROP COLUMN first_launch_in_demand;
ALTER TABLE saga_job DROP COLUMN stop_requested;
