package io.sluice.runner.store.isolation.network;

import java.util.List;

/**
 * The text given to {@code nft -f -} and {@code ip -batch -} to set up the host's rules and a worker's network, so
 * that each takes one process however many steps it has.
 */
final class NetworkScripts {

    /** The nft table of Sluice's own; {@code inet} covers IPv4 and IPv6 in one set of chains. */
    static final String TABLE = "sluice_jobs";
    /** Every job link's host end is named {@code sl-} + 12 characters: the rules match them all by this prefix. */
    static final String LINK_PREFIX = "sl-";
    /**
     * The host's address for jobs: on the host's loopback, reachable from a job only on the ports the node opens to
     * jobs ({@link NetworkSettings#hostPortsForJobs}); link-local, so no LAN uses it.
     */
    static final String HOST_FOR_JOBS = "169.254.203.1";
    /** The job's end, inside its namespace. */
    static final String JOB_LINK = "eth0";

    private NetworkScripts() {
    }

    /**
     * The host's rules, replaced whole in one transaction: creating the table first lets the deletion succeed when it
     * is not there yet, so runners starting at once each install the same table atomically.
     *
     * <p>input: nothing from a job link reaches the host itself (its loopback, every address it has, any port).
     * forward: nothing goes to a job link but replies (so jobs reach neither each other nor are reached from outside),
     * and jobs do not reach the denied destinations. postrouting: what jobs send out through the host's other
     * interfaces leaves with the host's address.
     */
    static String hostRules(NetworkSettings settings) {
        // input: only the ports opened to jobs, at the host's address for jobs.
        String jobs = "\"" + LINK_PREFIX + "*\"";
        StringBuilder nft = new StringBuilder();
        nft.append("table inet ").append(TABLE).append(" {\n}\n");
        nft.append("delete table inet ").append(TABLE).append("\n");
        nft.append("table inet ").append(TABLE).append(" {\n");
        nft.append("  chain input {\n");
        nft.append("    type filter hook input priority filter - 10; policy accept;\n");
        if (!settings.hostPortsForJobs().isEmpty()) {
            nft.append("    iifname ").append(jobs).append(" ip daddr ").append(HOST_FOR_JOBS).append(" tcp dport { ")
                    .append(String.join(", ", settings.hostPortsForJobs().stream().map(String::valueOf).toList()))
                    .append(" } accept\n");
        }
        nft.append("    iifname ").append(jobs).append(" drop\n");
        nft.append("  }\n");
        nft.append("  chain forward {\n");
        nft.append("    type filter hook forward priority filter - 10; policy accept;\n");
        nft.append("    oifname ").append(jobs).append(" ct state established,related accept\n");
        nft.append("    oifname ").append(jobs).append(" drop\n");
        denied(nft, jobs, "ip", settings.deniedIpv4());
        denied(nft, jobs, "ip6", settings.deniedIpv6());
        nft.append("  }\n");
        nft.append("  chain postrouting {\n");
        nft.append("    type nat hook postrouting priority srcnat; policy accept;\n");
        nft.append("    iifname ").append(jobs).append(" oifname != ").append(jobs).append(" masquerade\n");
        nft.append("  }\n");
        nft.append("}\n");
        return nft.toString();
    }

    private static void denied(StringBuilder nft, String jobs, String family, List<String> blocks) {
        if (!blocks.isEmpty()) {
            nft.append("    iifname ").append(jobs).append(' ').append(family).append(" daddr { ")
                    .append(String.join(", ", blocks)).append(" } drop\n");
        }
    }

    /**
     * In the host's namespace: the worker's namespace, its link with the job's end moved into it, and the host end's
     * address (the /30's first address) up.
     */
    static String createOnHost(String namespace, String hostLink, Ipv4Block link) {
        return "netns add " + namespace + "\n"
                + "link add " + hostLink + " type veth peer name " + JOB_LINK + " netns " + namespace + "\n"
                + "addr add " + hostAddress(link) + "/" + link.prefix() + " dev " + hostLink + "\n"
                + "link set " + hostLink + " up\n";
    }

    /** In the worker's namespace: loopback up, the job's address (the /30's second address), the default route. */
    static String createInside(Ipv4Block link) {
        return "link set lo up\n"
                + "addr add " + jobAddress(link) + "/" + link.prefix() + " dev " + JOB_LINK + "\n"
                + "link set " + JOB_LINK + " up\n"
                + "route add default via " + hostAddress(link) + "\n";
    }

    /** Deleting the host end deletes the job's end with it; the namespace goes after. */
    static String remove(String namespace, String hostLink, boolean linkPresent, boolean namespacePresent) {
        StringBuilder ip = new StringBuilder();
        if (linkPresent) {
            ip.append("link delete ").append(hostLink).append('\n');
        }
        if (namespacePresent) {
            ip.append("netns delete ").append(namespace).append('\n');
        }
        return ip.toString();
    }

    static String hostAddress(Ipv4Block link) {
        return Ipv4Block.format(link.base() + 1);
    }

    static String jobAddress(Ipv4Block link) {
        return Ipv4Block.format(link.base() + 2);
    }
}
