package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client that shares no code with this module (Python with Debian's python3-avro) decodes what the Java codec
 * writes, given only a released {@code .avsc} file. Needs {@code apt-get install python3-avro}: without it the test
 * fails, it does not skip.
 */
class SecondClientDecodesTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final Path SCRIPT = Path.of("src/test/python/decode_event.py");

    @TempDir
    Path dir;

    @Test
    void python_decodes_a_job_submitted_envelope_with_only_the_released_schema() throws Exception {
        Path event = write("job-submitted.bin", EventCodec.forTopic(Topic.JOB_REQUESTS).encode(Fixtures.aJobSubmittedEnvelope()));

        Result result = decodeWithPython(releasedSchema(Topic.JOB_REQUESTS), event);

        assertThat(result.exitCode()).as("python exit code; stderr: %s", result.stderr()).isZero();
        JsonNode envelope = new ObjectMapper().readTree(result.stdout());
        assertThat(envelope.at("/metadata/eventId").asText()).isEqualTo(Fixtures.EVENT_ID.toString());
        assertThat(envelope.at("/metadata/occurredAt").asText()).startsWith("2026-01-15T09:30:00.123");
        assertThat(envelope.at("/metadata/producer").asText()).isEqualTo("sluice-cli/alice-laptop");
        assertThat(envelope.at("/metadata/causationId").isNull()).isTrue();
        assertThat(envelope.at("/payload/jobId").asText()).isEqualTo(Fixtures.JOB_ID);
        assertThat(envelope.at("/payload/spec/owner").asText()).isEqualTo("alice");
        assertThat(envelope.at("/payload/spec/target").asText()).isEqualTo("debian-12");
        assertThat(envelope.at("/payload/spec/steps/0/argv/2").asText()).isEqualTo("all");
        assertThat(envelope.at("/payload/spec/steps/0/limits/memoryBytes").asLong()).isEqualTo(536_870_912L);
        assertThat(envelope.at("/payload/spec/steps/1/script").asText()).isEqualTo("./run-tests.sh --fast");
        assertThat(envelope.at("/payload/spec/steps/1/shutdownSignal").asText()).isEqualTo("INT");
        assertThat(envelope.at("/payload/spec/resources/0/parameters/size").asText()).isEqualTo("small");
        assertThat(envelope.at("/payload/spec/retriesOnNodeLoss").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Topic.class)
    void python_decodes_a_value_of_every_topic(Topic topic) throws Exception {
        SpecificRecordBase value = SampleEvents.envelopeWith(topic, SampleEvents.payloadTypesOf(topic).getLast());
        Path event = write(topic.topicName() + ".bin", EventCodec.forTopic(topic).encode(value));

        Result result = decodeWithPython(releasedSchema(topic), event);

        assertThat(result.exitCode()).as("python exit code; stderr: %s", result.stderr()).isZero();
        assertThat(new ObjectMapper().readTree(result.stdout()).at("/metadata/eventId").asText())
                .isEqualTo(Envelopes.metadataOf(value).getEventId().toString());
    }

    @Test
    void python_refuses_bytes_whose_fingerprint_is_not_that_of_the_schema() throws Exception {
        byte[] bytes = EventCodec.forTopic(Topic.JOB_REQUESTS).encode(Fixtures.aJobSubmittedEnvelope());
        bytes[5] ^= 0x01;

        Result result = decodeWithPython(releasedSchema(Topic.JOB_REQUESTS), write("tampered.bin", bytes));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("fingerprint mismatch");
    }

    @Test
    void python_refuses_bytes_that_are_not_single_object_encoded() throws Exception {
        Result result = decodeWithPython(releasedSchema(Topic.JOB_REQUESTS),
                write("text.bin", "hello".getBytes(StandardCharsets.UTF_8)));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("not single-object encoded");
    }

    private static Path releasedSchema(Topic topic) {
        Path schema = Path.of("src/main/resources").resolve(
                ReleasedSchemas.resourcePath(ReleasedSchemas.latest(topic).orElseThrow().version(), topic));
        assertThat(schema).exists();
        return schema;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private Result decodeWithPython(Path schema, Path event) throws IOException, InterruptedException {
        assertThat(Path.of(PYTHON)).as("Debian's python3 (apt-get install python3-avro)").exists();
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(PYTHON, SCRIPT.toString(), schema.toString(), event.toString())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("decode_event.py finished within 30 s").isTrue();
        } finally {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }
}
