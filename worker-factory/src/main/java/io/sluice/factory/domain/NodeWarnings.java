package io.sluice.factory.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * What the registry keeps of the free text a heartbeat carries (its warnings and its cgroup hierarchy): bounded, so
 * that one node cannot grow the registry and every {@code GET /nodes} answer without limit, and cut with a marker
 * that says so.
 */
public final class NodeWarnings {

    /**
     * Warnings kept per node. A node says one line today (why it runs without isolation); ten leave room for a few
     * more kinds of warning while a registry of hundreds of nodes stays well under a megabyte.
     */
    public static final int MAX_WARNINGS = 10;

    /**
     * Characters (code points) kept of each warning, its marker included. The longest line a node writes today,
     * with everything missing (runc, tini, setsid, ip, nft, root and a cgroup v2 tree that gives no controllers, with
     * the remedy of each and the paths it names), is about 800 characters; 1000 keeps it whole.
     */
    public static final int MAX_WARNING_LENGTH = 1_000;

    /** Characters kept of the cgroup hierarchy's name: "v1", "hybrid" or "v2" today, a little room for a newer one. */
    public static final int MAX_CGROUPS_LENGTH = 32;

    /** Ends a warning that was cut. */
    static final String CUT_MARKER = "… [cut at " + MAX_WARNING_LENGTH + " characters]";

    private NodeWarnings() {
    }

    /**
     * At most {@link #MAX_WARNINGS} warnings of at most {@link #MAX_WARNING_LENGTH} characters each; when there were
     * more, the last one kept says how many were left out.
     */
    public static List<String> bounded(List<String> warnings) {
        List<String> kept = new ArrayList<>();
        boolean tooMany = warnings.size() > MAX_WARNINGS;
        int keep = tooMany ? MAX_WARNINGS - 1 : warnings.size();
        for (String warning : warnings.subList(0, keep)) {
            kept.add(cut(warning, MAX_WARNING_LENGTH, CUT_MARKER));
        }
        if (tooMany) {
            kept.add("… and " + (warnings.size() - keep) + " more warnings, left out (a node keeps at most "
                    + MAX_WARNINGS + ")");
        }
        return List.copyOf(kept);
    }

    /** The cgroup hierarchy's name, cut to {@link #MAX_CGROUPS_LENGTH}; null stays null. */
    public static String boundedCgroups(String cgroups) {
        return cgroups == null ? null : cut(cgroups, MAX_CGROUPS_LENGTH, "…");
    }

    /** {@code text} when it has at most {@code max} code points, else its start and {@code marker}, {@code max} in all. */
    static String cut(String text, int max, String marker) {
        if (text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        int keep = max - marker.codePointCount(0, marker.length());
        return text.substring(0, text.offsetByCodePoints(0, keep)) + marker;
    }
}
