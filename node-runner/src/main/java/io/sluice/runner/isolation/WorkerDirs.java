package io.sluice.runner.isolation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Creates a worker's writable directories and hands them to the user its processes run as. */
final class WorkerDirs {

    private WorkerDirs() {
    }

    /** Creates the data, tmp, job log and store dirs; with {@code uid >= 0} gives them (not their content) to it. */
    static void create(ProcessSpec spec, int uid, int gid) throws IOException {
        for (Path dir : writable(spec)) {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
            }
            if (uid >= 0 && ((Integer) Files.getAttribute(dir, "unix:uid") != uid
                    || (Integer) Files.getAttribute(dir, "unix:gid") != gid)) {
                Files.setAttribute(dir, "unix:uid", uid);
                Files.setAttribute(dir, "unix:gid", gid);
            }
        }
    }

    /** Whether {@code uid}/{@code gid} may execute the file, by its mode bits. */
    static boolean mayExecute(Path file, int uid, int gid) throws IOException {
        int mode = (Integer) Files.getAttribute(file, "unix:mode");
        if ((Integer) Files.getAttribute(file, "unix:uid") == uid) {
            return (mode & 0100) != 0;
        }
        if ((Integer) Files.getAttribute(file, "unix:gid") == gid) {
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
