package io.sluice.runner.store.isolation.runc;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.runner.store.isolation.process.ProcessRecord;
import io.sluice.runner.store.isolation.process.ProcessStateDir;
import io.sluice.runner.store.isolation.process.ProcessStateJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Turns what runc logged when a container did not start into a message a person can act on. */
final class RuncErrors {

    private RuncErrors() {
    }

    static String explain(ProcessStateDir dir, ProcessRecord record) {
        String error = lastRuncError(dir.runcLog());
        if (error == null) {
            String shimOutput = read(dir.shimLog()).strip();
            return "the container of " + record.key() + " did not start"
                    + (shimOutput.isEmpty() ? "; see " + record.stderrLog() : ": " + shimOutput);
        }
        String detail = error.replaceFirst("^runc run failed: ", "");
        if (detail.contains("error mounting")) {
            return "a directory could not be mounted into the container: " + detail;
        }
        if (detail.contains("cgroup")) {
            return "the container's cgroup could not be set up (are the limits possible on this host?): " + detail;
        }
        if (detail.contains("already exists")) {
            return "a container for " + record.key() + " already exists on this node: " + detail;
        }
        return "runc could not start the container: " + detail;
    }

    private static String lastRuncError(Path log) {
        String last = null;
        for (String line : read(log).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode entry = ProcessStateJson.MAPPER.readTree(line);
                if ("error".equals(entry.path("level").asText()) || "fatal".equals(entry.path("level").asText())) {
                    last = entry.path("msg").asText();
                }
            } catch (IOException e) {
                last = line;
            }
        }
        return last;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
