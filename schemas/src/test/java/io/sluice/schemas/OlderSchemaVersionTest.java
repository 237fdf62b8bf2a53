package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.events.JobSpec;
import io.sluice.events.ShutdownSignal;
import io.sluice.events.StepSpec;
import io.sluice.events.job.JobCancelRequested;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.events.job.JobSubmitted;
import io.sluice.schemas.KnownWriterSchemas.LabelledSchema;
import io.sluice.schemas.UndecodableEventException.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * Data written with an older schema version stays readable: a test-only "v0" of sluice.job.requests (before some
 * optional fields existed) is decoded into today's classes, missing fields taking their defaults.
 */
class OlderSchemaVersionTest {

    private static final Schema V0 = parse("/io/sluice/schemas/older/v0-sluice.job.requests.avsc");
    private static final Schema JOB_SUBMITTED_V0 = V0.getField("payload").schema().getTypes().get(0);
    private static final Schema JOB_CANCEL_REQUESTED_V0 = V0.getField("payload").schema().getTypes().get(1);

    private final EventCodec<JobRequestEnvelope> codec =
            EventCodec.withExtraWriterSchemas(Topic.JOB_REQUESTS, List.of(new LabelledSchema("v0", V0)));

    @Test
    void the_v0_schema_is_another_version_than_the_current_one() {
        assertThat(SchemaNormalization.parsingFingerprint64(V0))
                .isNotEqualTo(SchemaNormalization.parsingFingerprint64(Topic.JOB_REQUESTS.valueSchema()));
    }

    @Test
    void a_job_submitted_written_with_v0_is_read_with_the_current_class_and_the_new_fields_defaulted() throws IOException {
        byte[] bytes = encodeWithV0(envelopeV0(jobSubmittedV0()));

        JobRequestEnvelope decoded = codec.decode(bytes);

        assertThat(decoded.getMetadata().getCorrelationId()).isEqualTo("job-7");
        JobSpec spec = ((JobSubmitted) decoded.getPayload()).getSpec();
        assertThat(spec.getOwner()).isEqualTo("bob");
        assertThat(spec.getSteps()).singleElement().satisfies(step -> {
            assertThat(step.getArgv()).containsExactly("/bin/true");
            assertThat(step.getCapabilities()).isEmpty();
            assertThat(step.getShutdownSignal()).isEqualTo(ShutdownSignal.TERM);
        });
        assertThat(spec.getRetriesOnNodeLoss()).isZero();
        assertThat(spec.getPersistentStore()).isNull();
        assertThat(spec.getLabels()).isEmpty();
    }

    @Test
    void a_job_cancel_requested_written_with_v0_has_no_reason() throws IOException {
        GenericRecord cancel = new GenericRecordBuilder(JOB_CANCEL_REQUESTED_V0)
                .set("jobId", "job-7").set("requestedBy", "bob").build();

        JobRequestEnvelope decoded = codec.decode(encodeWithV0(envelopeV0(cancel)));

        assertThat(decoded.getPayload()).isEqualTo(
                JobCancelRequested.newBuilder().setJobId("job-7").setRequestedBy("bob").setReason(null).build());
    }

    @Test
    void a_codec_that_does_not_ship_v0_refuses_its_data_as_an_unknown_schema() throws IOException {
        byte[] bytes = encodeWithV0(envelopeV0(jobSubmittedV0()));

        assertThatThrownBy(() -> EventCodec.forTopic(Topic.JOB_REQUESTS).decode(bytes))
                .isInstanceOfSatisfying(UndecodableEventException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_SCHEMA));
    }

    private static GenericRecord jobSubmittedV0() {
        Schema specSchema = JOB_SUBMITTED_V0.getField("spec").schema();
        Schema stepSchema = specSchema.getField("steps").schema().getElementType();
        Schema limitsSchema = stepSchema.getField("limits").schema();
        Schema signalSchema = stepSchema.getField("shutdownSignal").schema();
        GenericRecord step = new GenericRecordBuilder(stepSchema)
                .set("name", "only").set("argv", List.of("/bin/true")).set("env", Map.of())
                .set("limits", new GenericRecordBuilder(limitsSchema).build())
                .set("shutdownSignal", new GenericData.EnumSymbol(signalSchema, "TERM"))
                .build();
        GenericRecord spec = new GenericRecordBuilder(specSchema)
                .set("owner", "bob").set("name", "old-job").set("target", "debian-12")
                .set("resources", List.of()).set("steps", List.of(step)).set("inputs", List.of())
                .build();
        return new GenericRecordBuilder(JOB_SUBMITTED_V0).set("jobId", "job-7").set("spec", spec).build();
    }

    private static GenericRecord envelopeV0(GenericRecord payload) {
        Schema metadataSchema = V0.getField("metadata").schema();
        GenericRecord metadata = new GenericRecordBuilder(metadataSchema)
                .set("eventId", "3e1d9c2a-7b6f-4a1e-9d8c-2b3a4c5d6e7f")
                .set("occurredAt", 1_700_000_000_000L)
                .set("correlationId", "job-7")
                .set("producer", "sluice-cli/old")
                .build();
        return new GenericRecordBuilder(V0).set("metadata", metadata).set("payload", payload).build();
    }

    private static byte[] encodeWithV0(GenericRecord envelope) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), V0).encode(envelope, out);
        return out.toByteArray();
    }

    private static Schema parse(String resource) {
        try (InputStream in = OlderSchemaVersionTest.class.getResourceAsStream(resource)) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
