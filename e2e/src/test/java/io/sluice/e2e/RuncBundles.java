package io.sluice.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Copies the OCI bundle the node runner wrote for a running process, to run the same bundle with bare runc. */
final class RuncBundles {

    private static final Pattern ARGS = Pattern.compile("\"args\"\\s*:\\s*\\[(.*?)]", Pattern.DOTALL);
    private static final Pattern CGROUPS_PATH = Pattern.compile("\"cgroupsPath\"\\s*:\\s*\"[^\"]*\"");

    private RuncBundles() {
    }

    /**
     * A bundle directory whose config.json is the one of a process the node runs now, running {@code program}
     * under the same tini (the arguments after {@code --} are replaced) in a cgroup of its own. It works while
     * that process's worker exists: the bundle binds the worker's directories. Containers run side by side need
     * bundles of different {@code cgroup} names.
     */
    static Path copyOfNodeBundle(SluiceSystem sluice, String program, String cgroup) throws IOException {
        Path config;
        try (Stream<Path> files = Files.walk(sluice.nodeRuntime)) {
            config = files.filter(p -> p.getFileName().toString().equals("config.json")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no running process's bundle under "
                            + sluice.nodeRuntime));
        }
        String json = Files.readString(config);
        Matcher args = ARGS.matcher(json);
        if (!args.find() || !args.group(1).contains("\"--\"")) {
            throw new IllegalStateException("unexpected process.args in " + config);
        }
        String tini = args.group(1).substring(0, args.group(1).indexOf("\"--\"") + 4);
        json = json.substring(0, args.start(1)) + tini + ",\"" + program + "\"" + json.substring(args.end(1));
        json = CGROUPS_PATH.matcher(json).replaceFirst("\"cgroupsPath\":\"/sluice-bench/" + cgroup + "\"");
        Path bundle = Files.createTempDirectory("sluice-bench-bundle");
        Files.writeString(bundle.resolve("config.json"), json);
        return bundle;
    }
}
