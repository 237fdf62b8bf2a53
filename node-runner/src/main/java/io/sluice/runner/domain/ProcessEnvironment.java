package io.sluice.runner.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/** The environment a process starts with: defaults, then the job's variables, then what the node guarantees. */
public final class ProcessEnvironment {

    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private ProcessEnvironment() {
    }

    public static Map<String, String> of(ProcessSpec spec, DirsView dirs, String defaultPath) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", defaultPath);
        env.put("HOME", dirs.data());
        env.putAll(spec.env());
        env.put("TMPDIR", dirs.tmp());
        env.put("SLUICE_JOB_ID", spec.jobId());
        env.put("SLUICE_PROCESS_NAME", spec.processName());
        env.put("SLUICE_DATA_DIR", dirs.data());
        env.put("SLUICE_LOG_DIR", dirs.logs());
        if (dirs.store() != null) {
            env.put("SLUICE_STORE_DIR", dirs.store());
        }
        if (dirs.resources() != null) {
            env.put("SLUICE_RESOURCES_DIR", dirs.resources());
        }
        return env;
    }
}
