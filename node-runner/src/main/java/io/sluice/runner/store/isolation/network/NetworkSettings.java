package io.sluice.runner.store.isolation.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node's job networks are cut from and what they may not reach besides the host itself.
 *
 * @param pool                 the IPv4 block each worker's point-to-point /30 is taken from
 * @param deniedDestinations   further CIDR blocks (IPv4 or IPv6) jobs may not reach, e.g. control-plane hosts
 *                             elsewhere; dropped on the way out
 * @param hostPortsForJobs     TCP ports of the host that jobs may reach, at {@link NetworkScripts#HOST_FOR_JOBS}
 *                             only (a service meant for jobs, such as their scratch databases' server); none by
 *                             default
 */
public record NetworkSettings(String pool, List<String> deniedDestinations, List<Integer> hostPortsForJobs) {

    /** The pool when none is configured: a private block unlikely to be a LAN's. */
    public static final String DEFAULT_POOL = "10.203.0.0/16";

    public NetworkSettings {
        deniedDestinations = List.copyOf(deniedDestinations);
        hostPortsForJobs = List.copyOf(hostPortsForJobs);
        for (int port : hostPortsForJobs) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("sluice.node.host-ports-for-jobs: " + port + " is not a TCP port");
            }
        }
        Ipv4Block block = parsePool(pool);
        if (block.prefix() > 30) {
            throw new IllegalArgumentException("sluice.node.network-pool '" + pool + "' is too small: it must hold "
                    + "at least one /30");
        }
        deniedDestinations.forEach(NetworkSettings::checkDestination);
    }

    public static NetworkSettings defaults() {
        return new NetworkSettings(DEFAULT_POOL, List.of(), List.of());
    }

    Ipv4Block poolBlock() {
        return Ipv4Block.parse(pool);
    }

    /** The denied IPv4 blocks, as nft writes them. */
    List<String> deniedIpv4() {
        List<String> blocks = new ArrayList<>();
        deniedDestinations.stream().filter(d -> !d.contains(":")).forEach(blocks::add);
        return blocks;
    }

    /** The denied IPv6 blocks. */
    List<String> deniedIpv6() {
        return deniedDestinations.stream().filter(d -> d.contains(":")).toList();
    }

    private static Ipv4Block parsePool(String pool) {
        try {
            return Ipv4Block.parse(pool);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sluice.node.network-pool: " + e.getMessage());
        }
    }

    /** A CIDR block or a single address; text reaches nft only after this check. */
    private static void checkDestination(String destination) {
        String where = "sluice.node.network-denied-destinations: '" + destination + "'";
        int slash = destination.indexOf('/');
        String address = slash < 0 ? destination : destination.substring(0, slash);
        boolean v6 = address.contains(":");
        if (!v6) {
            try {
                if (slash < 0) {
                    Ipv4Block.parseAddress(address, destination);
                } else {
                    Ipv4Block.parse(destination);
                }
                return;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sluice.node.network-denied-destinations: " + e.getMessage());
            }
        }
        if (!address.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException(where + " is not an IPv4 or IPv6 address or block");
        }
        try {
            InetAddress.getByName(address); // a literal: no lookup happens for text made of hex digits and colons
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(where + " is not an IPv6 address");
        }
        if (slash >= 0) {
            String prefix = destination.substring(slash + 1);
            if (!prefix.matches("[0-9]{1,3}") || Integer.parseInt(prefix) > 128) {
                throw new IllegalArgumentException(where + ": the prefix length must be 0-128");
            }
        }
    }
}
