package io.sluice.runner.store.isolation.process;

import io.sluice.runner.domain.ProcessSpec;
import io.sluice.runner.domain.WorkerDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the user a job runs as may touch: creates its worker's writable directories and hands them to it, and tells
 * whether it may execute a file.
 */
public final class JobUserAccess {

    private JobUserAccess() {
    }

    /** Creates the data, tmp, job log and store dirs; with {@code uid >= 0} gives them (not their content) to it. */
    public static void create(ProcessSpec spec, int uid, int gid) throws IOException {
        for (Path dir : writable(spec)) {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
            }
            if (uid >= 0) {
                Map<String, Object> owner = Files.readAttributes(dir, "unix:uid,gid");
                if ((Integer) owner.get("uid") != uid || (Integer) owner.get("gid") != gid) {
                    Files.setAttribute(dir, "unix:uid", uid);
                    Files.setAttribute(dir, "unix:gid", gid);
                }
            }
        }
    }

    /** Whether {@code uid}/{@code gid} may execute the file, by its mode bits. */
    public static boolean mayExecute(Path file, int uid, int gid) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(file, "unix:mode,uid,gid");
        int mode = (Integer) attributes.get("mode");
        if ((Integer) attributes.get("uid") == uid) {
            return (mode & 0100) != 0;
        }
        if ((Integer) attributes.get("gid") == gid) {
            return (mode & 0010) != 0;
        }
        return (mode & 0001) != 0;
    }

    private static List<Path> writable(ProcessSpec spec) {
        WorkerDirectories dirs = spec.dirs();
        List<Path> list = new ArrayList<>(List.of(dirs.data(), dirs.tmp(), dirs.jobLogs(spec.jobId())));
        if (dirs.store() != null) {
            list.add(dirs.store());
        }
        return list;
    }
}
