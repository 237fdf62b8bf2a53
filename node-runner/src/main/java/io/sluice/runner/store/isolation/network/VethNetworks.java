package io.sluice.runner.store.isolation.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network namespace per worker, joined to the host by a veth pair with a point-to-point /30 from the node's pool,
 * behind the host rules of {@link NetworkScripts#hostRules}: the job reaches the outside through the host's NAT and
 * nothing of the host itself, as Docker's and Nomad's bridge mode do, enforced by the kernel.
 *
 * <p>Several runners may share a host (the end-to-end tests run several): each names its namespaces after its state
 * dir, and a /30 is chosen under a host-wide lock among those no interface of the host has, so the kernel's own
 * interfaces are the record of what is taken and a restart needs no state of its own.
 */
public final class VethNetworks implements WorkerNetworks {

    private static final Logger LOG = LoggerFactory.getLogger(VethNetworks.class);
    /** Where {@code ip netns} keeps the namespaces it names ({@code /var/run} is a link to {@code /run}). */
    public static final Path NAMESPACES_DIR = Path.of("/run/netns");
    private static final Path LOCK_FILE = Path.of("/run/sluice-job-networks.lock");
    /** A file lock is the JVM's, not the thread's: runners sharing a JVM (the tests) take this lock first. */
    private static final ReentrantLock IN_THIS_JVM = new ReentrantLock();
    private static final int LINK_PREFIX_LENGTH = 30;
    private static final long COMMAND_TIMEOUT_SECONDS = 30;

    private final String namespacePrefix;
    private final Ipv4Block pool;
    private final Path ip;

    private VethNetworks(String namespacePrefix, Ipv4Block pool, Path ip) {
        this.namespacePrefix = namespacePrefix;
        this.pool = pool;
        this.ip = ip;
    }

    /**
     * Sets up the host for job networks and returns the networks of the runner whose state is in {@code stateDir}.
     *
     * <p>What this changes on the host, once per start and the same for every runner: IPv4 forwarding is turned on
     * ({@code net.ipv4.ip_forward=1}, needed to route the jobs' traffic out), and the nft table
     * {@code inet sluice_jobs} is put in place (replaced whole, atomically), which touches only packets to, from or
     * through the job links ({@code sl-*}); the host's address for jobs is added to its loopback.
     */
    public static VethNetworks open(Path stateDir, NetworkSettings settings) throws IOException {
        Path ip = firstExisting("ip");
        Path nft = firstExisting("nft");
        run(List.of(nft.toString(), "-f", "-"), NetworkScripts.hostRules(settings));
        run(List.of(ip.toString(), "-batch", "-"), "address replace " + NetworkScripts.HOST_FOR_JOBS + "/32 dev lo\n");
        Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1\n");
        warnOfLoopbackResolver(Path.of("/etc/resolv.conf"));
        return new VethNetworks("sluice-" + digest(stateDir.toAbsolutePath().normalize().toString(), 6) + "-",
                settings.poolBlock(), ip);
    }

    @Override
    public Path create(String workerId) throws IOException {
        String namespace = namespaceOf(workerId);
        String link = hostLinkOf(namespace);
        remove(workerId); // what a crash during an earlier preparation left
        IN_THIS_JVM.lock();
        try (FileChannel channel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            Ipv4Block block = freeBlock();
            run(List.of(ip.toString(), "-batch", "-"), NetworkScripts.createOnHost(namespace, link, block));
            run(List.of(ip.toString(), "-n", namespace, "-batch", "-"), NetworkScripts.createInside(block));
        } finally {
            IN_THIS_JVM.unlock();
        }
        return NAMESPACES_DIR.resolve(namespace);
    }

    @Override
    public void remove(String workerId) throws IOException {
        String namespace = namespaceOf(workerId);
        removeNamespace(namespace);
    }

    @Override
    public void reconcile(Collection<String> keep) throws IOException {
        Set<String> kept = new HashSet<>();
        for (String workerId : keep) {
            kept.add(namespaceOf(workerId));
            if (!Files.exists(NAMESPACES_DIR.resolve(namespaceOf(workerId)))) {
                LOG.info("the network of worker {} is gone (the host restarted?): creating it again", workerId);
                create(workerId);
            }
        }
        if (!Files.isDirectory(NAMESPACES_DIR)) {
            return;
        }
        try (Stream<Path> namespaces = Files.list(NAMESPACES_DIR)) {
            for (Path path : namespaces.toList()) {
                String namespace = path.getFileName().toString();
                if (namespace.startsWith(namespacePrefix) && !kept.contains(namespace)) {
                    LOG.info("removing network namespace {}: its worker is no longer here", namespace);
                    removeNamespace(namespace);
                }
            }
        }
    }

    /** Removes every network of this runner's workers (for tests, which leave workers behind). */
    public void removeAll() throws IOException {
        reconcile(List.of());
    }

    /** The namespace of a worker of this runner (worker ids are checked names: letters, digits, '.', '_', '-'). */
    String namespaceOf(String workerId) {
        return namespacePrefix + workerId;
    }

    /** The host end of a namespace's link: 15 characters at most, as Linux allows for an interface's name. */
    public static String hostLinkOf(String namespace) {
        return NetworkScripts.LINK_PREFIX + digest(namespace, 6);
    }

    private void removeNamespace(String namespace) throws IOException {
        String link = hostLinkOf(namespace);
        boolean linkPresent = Files.exists(Path.of("/sys/class/net", link));
        boolean namespacePresent = Files.exists(NAMESPACES_DIR.resolve(namespace));
        if (linkPresent || namespacePresent) {
            run(List.of(ip.toString(), "-batch", "-"),
                    NetworkScripts.remove(namespace, link, linkPresent, namespacePresent));
        }
    }

    /**
     * A /30 of the pool that no interface of the host has an address in; chosen at random among them, so that an
     * address is seldom given again soon after its worker left (the host's connection tracking may still hold its
     * flows for a while).
     */
    private Ipv4Block freeBlock() throws IOException {
        BitSet used = new BitSet();
        try {
            for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
                for (InetAddress address : nic.inetAddresses().toList()) {
                    if (address instanceof Inet4Address v4) {
                        int value = ByteBuffer.wrap(v4.getAddress()).getInt();
                        if (pool.contains(value)) {
                            used.set(pool.indexOf(value, LINK_PREFIX_LENGTH));
                        }
                    }
                }
            }
        } catch (SocketException e) {
            throw new IOException("cannot list the host's addresses: " + e.getMessage(), e);
        }
        int count = pool.count(LINK_PREFIX_LENGTH);
        int free = count - used.cardinality();
        if (free <= 0) {
            throw new IOException("the job network pool " + pool + " is used up (" + count + " links of /30)");
        }
        int skip = ThreadLocalRandom.current().nextInt(free);
        int index = used.nextClearBit(0);
        for (int i = 0; i < skip; i++) {
            index = used.nextClearBit(index + 1);
        }
        return pool.nth(LINK_PREFIX_LENGTH, index);
    }

    private static void warnOfLoopbackResolver(Path resolvConf) {
        try {
            String resolver = loopbackResolver(Files.readAllLines(resolvConf));
            if (resolver != null) {
                LOG.warn("{} names the resolver {} on the host's loopback, which jobs in a network of their own "
                        + "cannot reach: their DNS lookups will fail; name a resolver on another address there "
                        + "(e.g. the one systemd-resolved forwards to)", resolvConf, resolver);
            }
        } catch (IOException e) {
            LOG.warn("cannot read {}: jobs see the host's copy of it for DNS: {}", resolvConf, e.getMessage());
        }
    }

    /** The first resolver a resolv.conf names on the host's loopback, or null when it names none there. */
    static String loopbackResolver(List<String> resolvConf) {
        for (String line : resolvConf) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver")
                    && (words[1].startsWith("127.") || words[1].equals("::1"))) {
                return words[1];
            }
        }
        return null;
    }

    /** Runs a command fed {@code input}; fails with what it said. */
    private static void run(List<String> command, String input) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        try {
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within "
                        + COMMAND_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + output
                    + "; its input was:\n" + input);
        }
    }

    /** Whether {@code tool} (ip, nft) is installed where the networks look for it. */
    public static boolean installed(String tool) {
        try {
            firstExisting(tool);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path firstExisting(String name) throws IOException {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IOException(name + " not found: jobs' own networks need iproute2 and nftables (Debian: apt-get "
                + "install iproute2 nftables)");
    }

    private static String digest(String text, int bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
