-- The counting test application's state: how many times each job's event was applied.
CREATE TABLE applied_request (job_id text PRIMARY KEY, times int NOT NULL);
CREATE TABLE accepted_seen (job_id text PRIMARY KEY, times int NOT NULL);
