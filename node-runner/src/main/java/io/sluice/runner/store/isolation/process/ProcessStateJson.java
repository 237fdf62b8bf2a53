package io.sluice.runner.store.isolation.process;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one JSON mapper of the files in a process's state dir: its record, its exit, its bundle and runc's log. */
public final class ProcessStateJson {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ProcessStateJson() {
    }
}
