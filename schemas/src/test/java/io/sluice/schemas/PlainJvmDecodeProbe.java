package io.sluice.schemas;

import io.sluice.events.EventMetadata;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.events.job.JobSubmitted;
import java.nio.ByteBuffer;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Run by {@link DecodeInPlainJvmTest} in a fresh JVM started without any flag: Avro does not trust the event classes
 * out of the box, yet building, decoding with the generated decoder and decoding with the codec all work.
 */
public final class PlainJvmDecodeProbe {

    private PlainJvmDecodeProbe() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("avro package property: " + System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES"));
        // A class literal does not initialize the class: no Avro data model exists yet.
        System.out.println("trusted before any event class is used: "
                + ClassSecurityValidator.getGlobal().isTrusted(EventMetadata.class));
        JobRequestEnvelope envelope = Fixtures.aJobSubmittedEnvelope(); // builders fill enum and record defaults
        System.out.println("built with defaults: " + ((JobSubmitted) envelope.getPayload()).getSpec().getSteps()
                .getFirst().getShutdownSignal());
        ByteBuffer bytes = JobRequestEnvelope.getEncoder().encode(envelope);
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        System.out.println("generated decoder decoded job "
                + ((JobSubmitted) JobRequestEnvelope.getDecoder().decode(array).getPayload()).getJobId());
        JobRequestEnvelope decoded = EventCodec.forClass(JobRequestEnvelope.class).decode(array);
        System.out.println("codec decoded job " + ((JobSubmitted) decoded.getPayload()).getJobId());
        System.out.println("other packages trusted: " + ClassSecurityValidator.getGlobal().isTrusted(ProcessBuilder.class));
    }
}
