package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building and decoding events must work in a JVM started without Avro's trust property, as every service's JVM is. */
class DecodeInPlainJvmTest {

    @TempDir
    Path dir;

    @Test
    void the_codec_decodes_in_a_jvm_started_without_any_flag() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                PlainJvmDecodeProbe.class.getName()).redirectErrorStream(true);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");

        Path outputFile = dir.resolve("probe-output.txt");
        Process process = builder.redirectOutput(outputFile.toFile()).start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("probe finished within 60 s").isTrue();
        } finally {
            process.destroyForcibly();
        }
        List<String> output = Files.readAllLines(outputFile);

        assertThat(process.exitValue()).as("exit code; output:%n%s", String.join("\n", output)).isZero();
        assertThat(output).containsExactly(
                "avro package property: null",
                "trusted before any event class is used: false",
                "built with defaults: TERM",
                "generated decoder decoded job " + Fixtures.JOB_ID,
                "codec decoded job " + Fixtures.JOB_ID,
                "other packages trusted: false");
    }
}
