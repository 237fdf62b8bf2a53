package io.sluice.jobs.domain;

import io.sluice.events.JobSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/** One job's saga driven input by input in a test, with everything it sent in order. */
final class SagaTranscript {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private Job job;
    private final List<SpecificRecord> sent = new ArrayList<>();

    static SagaTranscript accepted(JobSpec spec) {
        SagaTranscript transcript = new SagaTranscript();
        transcript.record(JobSaga.accept("job-1", spec, "sha", T0, T0));
        return transcript;
    }

    /** Goes on from a job as the store loaded it. */
    static SagaTranscript of(Job job) {
        SagaTranscript transcript = new SagaTranscript();
        transcript.job = job;
        return transcript;
    }

    /** Applies one input; returns the names of what it sent. */
    List<String> then(Function<JobSaga, JobChange> input) {
        return record(input.apply(JobSaga.of(job)));
    }

    private List<String> record(JobChange change) {
        job = change.after();
        List<SpecificRecord> now = change.events().stream().map(Outgoing::payload).toList();
        sent.addAll(now);
        return now.stream().map(p -> p.getSchema().getName()).toList();
    }

    Job job() {
        return job;
    }

    List<SpecificRecord> sent() {
        return List.copyOf(sent);
    }

    List<String> sentNames() {
        return sent.stream().map(p -> p.getSchema().getName()).toList();
    }

    <T> T last(Class<T> type) {
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (type.isInstance(sent.get(i))) {
                return type.cast(sent.get(i));
            }
        }
        throw new AssertionError("nothing of type " + type.getSimpleName() + " was sent: " + sentNames());
    }
}
