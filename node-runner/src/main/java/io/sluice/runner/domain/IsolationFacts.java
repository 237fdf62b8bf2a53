package io.sluice.runner.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a host offers runc isolation, as probed at the runner's start, and the verdict drawn from it: isolated when
 * nothing is missing, else one line saying what is missing and how to get isolation.
 *
 * @param runc           where the runner looks for runc
 * @param runcExecutable whether runc is there and executable
 * @param tini           where the runner looks for tini
 * @param tiniExecutable whether tini is there and executable
 * @param euid           the runner's effective uid (-1 when unknown)
 * @param setsid         whether util-linux's setsid is there (the shell shim needs it)
 * @param ip             whether iproute2's ip is there (the workers' networks need it)
 * @param nft            whether nftables' nft is there (the workers' networks need it)
 * @param cgroupProblem  what keeps the cgroups from limiting jobs, or null when they can
 */
public record IsolationFacts(String runc, boolean runcExecutable, String tini, boolean tiniExecutable, long euid,
                             boolean setsid, boolean ip, boolean nft, Missing cgroupProblem) {

    /** One thing missing, and how to get it. */
    public record Missing(String what, String how) {
    }

    /** Whether the node isolates its jobs, and if not, what is missing and how to get it. */
    public record Verdict(boolean isolated, List<String> missing, List<String> remedies) {

        /** What is missing and how to get it, for a refusal to start: "runc not found at ...; install runc (...)". */
        public String reason() {
            return String.join("; ", missing) + "; to isolate jobs, " + joinWithAnd(remedies);
        }

        /** The one line a node without isolation says in its log and its heartbeat's warnings. */
        public String warning() {
            return "isolation is NONE (job processes run as plain host processes): " + reason();
        }
    }

    public Verdict verdict() {
        List<String> missing = new ArrayList<>();
        Set<String> packages = new LinkedHashSet<>();
        List<String> remedies = new ArrayList<>();
        if (!runcExecutable) {
            missing.add("runc not found at " + runc);
            packages.add("runc");
        }
        if (!tiniExecutable) {
            missing.add("tini not found at " + tini);
            packages.add("tini");
        }
        if (!setsid) {
            missing.add("setsid not found");
            packages.add("util-linux");
        }
        if (!ip) {
            missing.add("ip not found");
            packages.add("iproute2");
        }
        if (!nft) {
            missing.add("nft not found");
            packages.add("nftables");
        }
        if (!packages.isEmpty()) {
            remedies.add("install " + joinWithAnd(List.copyOf(packages)) + " (apt-get install "
                    + String.join(" ", packages) + ")");
        }
        if (euid != 0) {
            missing.add(euid < 0 ? "the runner's user is unknown, not root" : "the runner runs as uid " + euid
                    + ", not root");
            remedies.add("run the node runner as root");
        }
        if (cgroupProblem != null) {
            missing.add(cgroupProblem.what());
            remedies.add(cgroupProblem.how());
        }
        return new Verdict(missing.isEmpty(), List.copyOf(missing), List.copyOf(remedies));
    }

    private static String joinWithAnd(List<String> parts) {
        if (parts.size() <= 1) {
            return String.join("", parts);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }
}
