package io.sluice.cli.jobs;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import io.sluice.cli.Colour;
import io.sluice.schemas.Topic;

/** Prints a job's events and output from its first event on, until it is over or a deadline passes. */
final class FollowJob {

    private static final Duration LONGEST_POLL = Duration.ofMillis(500);

    private final KafkaConnection kafka;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;

    FollowJob(KafkaConnection kafka, PrintWriter out, PrintWriter err) {
        this(kafka, out, err, false);
    }

    /** With {@code json}, one JSON object per event and output line ({@link JobEventJson}), notes on stderr. */
    FollowJob(KafkaConnection kafka, PrintWriter out, PrintWriter err, boolean json) {
        this.kafka = kafka;
        this.out = out;
        this.err = err;
        this.json = json;
    }

    /**
     * Follows the job and returns the exit code of its end (see {@link JobExitCodes}), or {@link
     * JobExitCodes#NO_ANSWER} when {@code timeout} (null for none) passes first.
     */
    int follow(String jobId, UUID submissionEventId, Duration timeout) {
        long startedAt = System.nanoTime();
        JobStream stream = new JobStream(kafka, jobId, List.of(Topic.JOB_REQUESTS, Topic.JOB_EVENTS, Topic.JOB_LOGS),
                this::warn, JobIds.timeOf(jobId).orElse(null));
        EventLines eventLines = new EventLines(ZoneId.systemDefault(), Instant.now(),
                json ? Colour.none() : Colour.ofStandardOutput());
        JobTranscript transcript = new JobTranscript(jobId, submissionEventId, json
                ? JobTranscript.json(jobId, kafka::nameOf, eventLines, this::print)
                : JobTranscript.text(eventLines, this::print), System::nanoTime);
        List<JobRecord> history = stream.catchUp();
        if (history.isEmpty()) {
            String waiting = "nothing about job " + jobId + " on " + kafka.nameOf(Topic.JOB_EVENTS)
                    + " yet; waiting for it"
                    + (timeout == null ? " (Ctrl-C stops waiting)" : " for " + DurationText.describe(timeout));
            if (json) {
                warn(waiting);
            } else {
                print(waiting);
            }
        }
        transcript.show(history);
        while (transcript.exitCode().isEmpty()) {
            Duration left = timeout == null ? LONGEST_POLL : timeout.minusNanos(System.nanoTime() - startedAt);
            if (left.isNegative() || left.isZero()) {
                warn("job " + jobId + " is not over after " + DurationText.describe(timeout) + " (last seen: "
                        + transcript.state() + "); stopped watching, the job goes on");
                return JobExitCodes.NO_ANSWER;
            }
            transcript.show(stream.next(left.compareTo(LONGEST_POLL) < 0 ? left : LONGEST_POLL));
            transcript.tick();
        }
        return transcript.exitCode().getAsInt();
    }

    private void print(String line) {
        out.println(line);
        out.flush();
    }

    private void warn(String message) {
        err.println("sluice: " + message);
        err.flush();
    }
}
