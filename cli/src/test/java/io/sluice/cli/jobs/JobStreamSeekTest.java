package io.sluice.cli.jobs;

import static io.sluice.testing.Jobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.sluice.cli.Sluice;
import io.sluice.events.JobOutcome;
import io.sluice.events.JobSpec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicNaming;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * watch and logs start reading a job's partition at the time its id carries (less the margin for clock skew), so
 * the records of earlier jobs on the same partition are never fetched; an id without a time is read from the start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobStreamSeekTest extends JobCommandsTestBase {

    private static final int EARLIER_RECORDS = 300;

    // First: the class's topics are its own, and a later test's newer records on the same partition would make its
    // timestamps go back in time there, where offsetsForTimes finds the first newer one, before the earlier records.
    @Test
    @Order(1)
    void a_job_whose_id_carries_its_time_is_read_from_then_skipping_the_earlier_records_of_its_partition()
            throws Exception {
        String jobId = JobIds.fresh(Instant.now());
        fillItsPartitionWithEarlierRecords(jobId, Instant.now().minus(JobStream.SEEK_MARGIN).minus(Duration.ofHours(1)));
        JobSpec spec = aJob().spec();
        storyOf(jobId).submitted(spec).accepted(spec).finished(JobOutcome.SUCCEEDED, null, null, null)
                .cleanedUp(JobOutcome.SUCCEEDED);

        try (KafkaConnection kafka = connection()) {
            JobStream stream = new JobStream(kafka, jobId, List.of(Topic.JOB_EVENTS), warning -> { },
                    JobIds.timeOf(jobId).orElseThrow());
            List<JobRecord> history = stream.catchUp();

            assertThat(history).extracting(record -> EventLines.nameOf(record.payload()))
                    .containsExactly("JobAccepted", "JobFinished", "JobWorkerReleased", "JobCleanedUp");
            assertThat(stream.recordsRead()).as("records fetched from the job's partition")
                    .isGreaterThanOrEqualTo(4).isLessThan(EARLIER_RECORDS);
        }
    }

    @Test
    void a_job_whose_id_carries_no_time_is_read_from_the_beginning_of_its_partition() throws Exception {
        String jobId = "chosen-" + aJobId();
        fillItsPartitionWithEarlierRecords(jobId, Instant.now().minus(Duration.ofHours(2)));
        JobSpec spec = aJob().spec();
        storyOf(jobId).accepted(spec).finished(JobOutcome.SUCCEEDED, null, null, null).cleanedUp(JobOutcome.SUCCEEDED);

        try (KafkaConnection kafka = connection()) {
            JobStream stream = new JobStream(kafka, jobId, List.of(Topic.JOB_EVENTS), warning -> { },
                    JobIds.timeOf(jobId).orElse(null));
            List<JobRecord> history = stream.catchUp();

            assertThat(history).hasSize(4);
            assertThat(stream.recordsRead()).isGreaterThanOrEqualTo(EARLIER_RECORDS + 4);
        }
    }

    @Test
    void watch_of_a_job_with_a_fresh_id_shows_it_whole_after_the_seek() {
        String jobId = JobIds.fresh(Instant.now());
        JobSpec spec = aJob().spec();
        storyOf(jobId).submitted(spec).accepted(spec).finished(JobOutcome.SUCCEEDED, null, null, null)
                .cleanedUp(JobOutcome.SUCCEEDED);

        SluiceRun watch = SluiceRun.run(on("watch", jobId));

        assertThat(watch.awaitExit()).as(watch.err()).isZero();
        watch.assertOutputInOrder("JobSubmitted", "JobAccepted", "JobFinished", "JobCleanedUp");
    }

    /** Records of other jobs, stamped {@code at}, on the partition of sluice.job.events that {@code jobId} hashes to. */
    private static void fillItsPartitionWithEarlierRecords(String jobId, Instant at) throws Exception {
        String topic = new TopicNaming(scope.topicPrefix()).nameOf(Topic.JOB_EVENTS);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, scope.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            int partition = KafkaConnection.partitionOf(jobId, producer.partitionsFor(topic).size());
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < EARLIER_RECORDS; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, partition, at.toEpochMilli() + i,
                        ("earlier-" + i).getBytes(StandardCharsets.UTF_8), new byte[] {0})));
            }
            for (java.util.concurrent.Future<?> each : sent) {
                each.get();
            }
        }
    }

    private static KafkaConnection connection() {
        KafkaClientConfig config = KafkaClientConfig.read(null, "--kafka-config", List.of());
        return new KafkaConnection(scope.bootstrapServers(), new TopicNaming(scope.topicPrefix()), config,
                Sluice.commandLine());
    }
}
