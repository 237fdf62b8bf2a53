package io.sluice.jobs.edge;

import io.micronaut.context.annotation.Value;
import io.sluice.bus.task.PeriodicTask;
import io.sluice.bus.task.TaskContext;
import io.sluice.jobs.store.SagaStore;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Ends jobs whose queue or run deadline has passed, each in a transaction of its own. */
@Singleton
public final class ExpireOverdueJobsTask implements PeriodicTask {

    private static final int BATCH = 100;

    private final RunJobSaga saga;
    private final SagaStore jobs;
    private final Duration interval;

    public ExpireOverdueJobsTask(RunJobSaga saga, SagaStore jobs,
                                 @Value("${sluice.jobs.deadline-check-interval:1s}") Duration interval) {
        this.saga = saga;
        this.jobs = jobs;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "expire-overdue-jobs";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void runOnce(TaskContext context) throws Exception {
        Instant now = context.now();
        List<String> overdue = context.inTransaction(tx -> jobs.overdue(tx.connection(), now, BATCH));
        for (String jobId : overdue) {
            context.inTransaction(tx -> {
                saga.onJob(tx, jobId, job -> job.deadlinesPassed(now));
                return null;
            });
        }
    }
}
