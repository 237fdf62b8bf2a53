package io.sluice.runner.store.isolation.shim;

import io.sluice.runner.store.isolation.process.HostCommands;
import io.sluice.runner.store.isolation.process.ProcFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finds and signals the host processes of one session (what a process started without isolation spawned). */
final class ProcessGroups {

    private ProcessGroups() {
    }

    /** Pids whose process group or session is {@code leader}, the leader itself excluded. */
    static List<Long> members(long leader) {
        List<Long> members = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .forEach(name -> {
                        long pid = Long.parseLong(name);
                        if (pid != leader && belongsTo(pid, leader)) {
                            members.add(pid);
                        }
                    });
        } catch (IOException ignored) {
            // /proc is always there on Linux
        }
        return members;
    }

    /** Sends a signal to the process group {@code leader}. */
    static HostCommands.Result signal(long leader, String signal) {
        return HostCommands.run(List.of("kill", "-s", signal, "--", "-" + leader), java.time.Duration.ofSeconds(10));
    }

    /** SIGKILL to every member and descendant of the session, the leader spared (it records the exit status). */
    static void killMembers(long leader) {
        ProcessHandle.of(leader).ifPresent(h -> h.descendants().forEach(ProcessHandle::destroyForcibly));
        members(leader).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    private static boolean belongsTo(long pid, long leader) {
        try {
            String stat = ProcFiles.read(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state, ppid, pgrp, session
            return !fields[0].equals("Z")
                    && (Long.parseLong(fields[2]) == leader || Long.parseLong(fields[3]) == leader);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
