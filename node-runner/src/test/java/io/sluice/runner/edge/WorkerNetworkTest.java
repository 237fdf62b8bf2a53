package io.sluice.runner.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.events.JobNetwork;
import io.sluice.events.node.LaunchProcess;
import io.sluice.events.node.PrepareWorker;
import io.sluice.events.node.ProcessExited;
import io.sluice.events.node.WorkerDestroyed;
import io.sluice.events.node.WorkerPrepared;
import io.sluice.runner.store.isolation.network.VethNetworks;
import io.sluice.runner.store.isolation.process.HostCommands;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's network, from inside real jobs under runc: in a network of its own it reaches no port of the host's
 * (broker, database, a server of the test's own on every address), yet reaches a server in another network
 * namespace (the internet's stand-in) through the host's NAT; with the host's network it reaches the host; and a
 * destroyed worker leaves nothing of its network.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerNetworkTest {

    private static final String NODE = "node-network";
    /** TEST-NET-2 (RFC 5737): no real host has it, and it lies outside the job pool and this host's own networks. */
    private static final String INTERNET_HOST_END = "198.51.100.1";
    private static final String INTERNET_SERVER = "198.51.100.2";
    private static final int INTERNET_PORT = 8443;
    /** Connects to each "address,port" argument at once, 3 s each, and prints "address port outcome [greeting]". */
    private static final String PROBE = """
            import socket, sys, threading
            out = {}
            def probe(target):
                address, port = target.rsplit(',', 1)
                family = socket.AF_INET6 if ':' in address else socket.AF_INET
                s = socket.socket(family, socket.SOCK_STREAM)
                s.settimeout(3)
                try:
                    s.connect((address, int(port)))
                    try:
                        greeting = s.recv(64).decode().strip()
                    except OSError:
                        greeting = ''
                    out[target] = 'open ' + greeting
                except ConnectionRefusedError:
                    out[target] = 'refused'
                except socket.timeout:
                    out[target] = 'timeout'
                except OSError as e:
                    out[target] = 'error-' + str(e.errno)
                finally:
                    s.close()
            threads = [threading.Thread(target=probe, args=(t,)) for t in sys.argv[1:]]
            [t.start() for t in threads]
            [t.join() for t in threads]
            for t in sys.argv[1:]:
                print(t.replace(',', ' '), out.get(t, 'none'))
            """;

    private static final int JOB_SERVER_PORT = 9000;
    /** A server in a job, on every address of its namespace. */
    private static final String SERVER = """
            import socket
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(('0.0.0.0', %d))
            s.listen(16)
            print('listening', flush=True)
            while True:
                c, _ = s.accept()
                c.sendall(b'job\\n')
                c.close()
            """.formatted(JOB_SERVER_PORT);

    @TempDir
    static Path stateDir;
    private NodeHarness harness;
    private NodeRunner runner;
    private ServerSocket hostServer;
    private final AtomicInteger hostAccepts = new AtomicInteger();
    private final String internet = "sltest-inet-" + ProcessHandle.current().pid();
    private final String internetLink = "tinet" + ProcessHandle.current().pid() % 1_000_000;
    private Process internetServer;

    @BeforeAll
    void start() throws Exception {
        harness = new NodeHarness("worker-network", NODE);
        runner = harness.startRunner(stateDir, 1024 * 1024);
        hostServer = new ServerSocket(0); // the wildcard address, IPv4 and IPv6: any port of the host's services
        Thread.ofVirtual().start(this::answerOnTheHost);
        startTheInternet();
    }

    @AfterAll
    void stop() throws Exception {
        runner.close();
        harness.close();
        hostServer.close();
        if (internetServer != null) {
            internetServer.destroyForcibly().waitFor();
        }
        HostCommands.run(List.of("ip", "link", "delete", internetLink), Duration.ofSeconds(10));
        HostCommands.run(List.of("ip", "netns", "delete", internet), Duration.ofSeconds(10));
    }

    @Test
    void an_isolated_job_reaches_no_port_of_the_host_on_any_address_yet_reaches_the_internet_through_nat()
            throws Exception {
        String worker = "w-iso-" + UUID.randomUUID().toString().substring(0, 8);
        harness.send(harness.prepare(worker, "job-" + worker));
        harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals(worker));
        String namespace = namespaceOf(worker);
        String hostEnd = addressOf(VethNetworks.hostLinkOf(namespace));
        Set<String> addresses = hostAddresses();
        assertThat(addresses).contains("127.0.0.1", "::1", hostEnd);
        assertThat(addresses).as("the host's other interfaces' addresses").hasSizeGreaterThan(3);
        List<String> targets = new ArrayList<>();
        for (String address : addresses) {
            for (int port : controlPlanePorts()) {
                targets.add(address + "," + port);
            }
        }
        targets.add(INTERNET_SERVER + "," + INTERNET_PORT);
        int acceptedBefore = hostAccepts.get();

        String report = probe(worker, targets);

        for (String target : targets.subList(0, targets.size() - 1)) {
            assertThat(outcomeOf(report, target)).as(target).isIn("refused", "timeout", "error-101", "error-113",
                    "error-22");
        }
        assertThat(hostAccepts.get()).as("connections the host's server accepted").isEqualTo(acceptedBefore);
        assertThat(outcomeOf(report, INTERNET_SERVER + "," + INTERNET_PORT)).isEqualTo("open internet");
    }

    @Test
    void an_isolated_job_does_not_reach_another_isolated_job() throws Exception {
        String serving = "w-serve-" + UUID.randomUUID().toString().substring(0, 8);
        harness.send(harness.prepare(serving, "job-" + serving));
        harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals(serving));
        String servingAddress = jobAddressOf(addressOf(VethNetworks.hostLinkOf(namespaceOf(serving))));
        harness.send(LaunchProcess.newBuilder(harness.launch(serving, "job-" + serving, "server", ""))
                .setArgv(List.of("/usr/bin/python3", "-c", SERVER)).build());
        await().atMost(NodeHarness.DEADLINE).until(() -> NodeHarness.text(harness.logsOf("job-" + serving, "server"))
                .contains("listening"));
        // The host cannot ask (what comes back from a job link to the host is dropped): ask from its own namespace.
        HostCommands.Result fromItsNamespace = HostCommands.run(List.of("ip", "netns", "exec", namespaceOf(serving),
                "timeout", "5", "bash", "-c", "exec 3<>/dev/tcp/" + servingAddress + "/" + JOB_SERVER_PORT
                        + "; head -c 3 <&3"), Duration.ofSeconds(10));
        assertThat(fromItsNamespace.output()).as("the job's server answers in its own network").isEqualTo("job");
        String probing = "w-peer-" + UUID.randomUUID().toString().substring(0, 8);
        harness.send(harness.prepare(probing, "job-" + probing));
        harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals(probing));

        String report = probe(probing, List.of(servingAddress + "," + JOB_SERVER_PORT));

        assertThat(outcomeOf(report, servingAddress + "," + JOB_SERVER_PORT)).isIn("refused", "timeout");
        harness.send(harness.destroy(serving, "job-" + serving));
        harness.awaitEvent(WorkerDestroyed.class, e -> e.getWorkerId().equals(serving));
    }

    @Test
    void a_job_with_the_host_s_network_reaches_the_host() throws Exception {
        String worker = "w-host-" + UUID.randomUUID().toString().substring(0, 8);
        harness.send(PrepareWorker.newBuilder(harness.prepare(worker, "job-" + worker)).setNetwork(JobNetwork.HOST)
                .build());
        harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals(worker));
        int acceptedBefore = hostAccepts.get();

        String report = probe(worker, List.of("127.0.0.1," + hostServer.getLocalPort()));

        assertThat(outcomeOf(report, "127.0.0.1," + hostServer.getLocalPort())).isEqualTo("open host");
        assertThat(hostAccepts.get()).isEqualTo(acceptedBefore + 1);
        try (Stream<Path> namespaces = Files.list(VethNetworks.NAMESPACES_DIR)) {
            assertThat(namespaces.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith("-" + worker));
        }
    }

    @Test
    void a_destroyed_worker_leaves_no_namespace_link_or_address_behind() throws Exception {
        String worker = "w-gone-" + UUID.randomUUID().toString().substring(0, 8);
        String job = "job-" + worker;
        harness.send(harness.prepare(worker, job));
        harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals(worker));
        String namespace = namespaceOf(worker);
        String link = VethNetworks.hostLinkOf(namespace);
        String hostEnd = addressOf(link);
        harness.send(harness.launch(worker, job, "sleeper", "sleep 30"));

        harness.send(harness.destroy(worker, job));
        harness.awaitEvent(WorkerDestroyed.class, e -> e.getWorkerId().equals(worker));

        assertThat(VethNetworks.NAMESPACES_DIR.resolve(namespace)).doesNotExist();
        assertThat(Path.of("/sys/class/net", link)).doesNotExist();
        assertThat(hostAddresses()).doesNotContain(hostEnd);
        assertThat(HostCommands.run(List.of("ip", "-o", "addr"), Duration.ofSeconds(10)).output())
                .doesNotContain(hostEnd + "/").doesNotContain(link);
    }

    /** Runs the probe in a job of {@code worker} and returns what it printed. */
    private String probe(String worker, List<String> targets) {
        String job = "job-" + worker;
        List<String> argv = new ArrayList<>(List.of("/usr/bin/python3", "-c", PROBE));
        argv.addAll(targets.stream().map(WorkerNetworkTest::scoped).toList());
        try {
            harness.send(LaunchProcess.newBuilder(harness.launch(worker, job, "probe", "")).setArgv(argv).build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        ProcessExited exit = harness.awaitEvent(ProcessExited.class, e -> e.getWorkerId().equals(worker));
        String report = NodeHarness.text(harness.logsOf(job, "probe"));
        assertThat(exit.getExitCode()).as(report).isEqualTo(0);
        return report;
    }

    /** A link-local IPv6 address names the link it is on: inside a job's namespace that is its eth0. */
    private static String scoped(String target) {
        return target.startsWith("fe80:") ? target.replace(",", "%eth0,") : target;
    }

    private static String outcomeOf(String report, String target) {
        String prefix = scoped(target).replace(",", " ") + " ";
        return report.lines().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("no outcome for " + target + " in:\n" + report));
    }

    /** The broker's, the database's and the test's own server's ports: what a job must not reach on the host. */
    private List<Integer> controlPlanePorts() {
        int broker = Integer.parseInt(harness.scope.bootstrapServers().replaceAll(".*:", ""));
        int database = URI.create(harness.scope.jdbcUrl().substring("jdbc:".length())).getPort();
        return List.of(broker, database, hostServer.getLocalPort());
    }

    /** Every address of every interface of the host's namespace, as {@code ip -j addr} lists them. */
    private static Set<String> hostAddresses() throws IOException {
        HostCommands.Result result = HostCommands.run(List.of("ip", "-j", "addr"), Duration.ofSeconds(10));
        assertThat(result.ok()).as(result.output()).isTrue();
        Set<String> addresses = new LinkedHashSet<>();
        for (JsonNode nic : new ObjectMapper().readTree(result.output())) {
            for (JsonNode address : nic.path("addr_info")) {
                addresses.add(address.path("local").asText());
            }
        }
        return addresses;
    }

    private static String addressOf(String link) {
        String shown = HostCommands.run(List.of("ip", "-4", "-o", "addr", "show", "dev", link), Duration.ofSeconds(10))
                .output();
        assertThat(shown).as(link).contains("inet ");
        return shown.replaceAll("(?s).*inet ([0-9.]+)/.*", "$1");
    }

    /** The job's end of a link: the address after the host's end in its /30. */
    private static String jobAddressOf(String hostEnd) {
        int dot = hostEnd.lastIndexOf('.');
        return hostEnd.substring(0, dot + 1) + (Integer.parseInt(hostEnd.substring(dot + 1)) + 1);
    }

    private static String namespaceOf(String worker) throws IOException {
        try (Stream<Path> namespaces = Files.list(VethNetworks.NAMESPACES_DIR)) {
            return namespaces.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-" + worker)).findFirst()
                    .orElseThrow(() -> new AssertionError("no network namespace for " + worker));
        }
    }

    private void answerOnTheHost() {
        while (!hostServer.isClosed()) {
            try (Socket client = hostServer.accept(); OutputStream out = client.getOutputStream()) {
                hostAccepts.incrementAndGet();
                out.write("host\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // closed at the end, or a client that went away
            }
        }
    }

    /** A namespace with a link of its own to the host and a server in it: a host on the internet, to the jobs. */
    private void startTheInternet() throws Exception {
        HostCommands.run(List.of("ip", "netns", "delete", internet), Duration.ofSeconds(10)); // an earlier run's
        String setup = "netns add " + internet + "\n"
                + "link add " + internetLink + " type veth peer name eth0 netns " + internet + "\n"
                + "addr add " + INTERNET_HOST_END + "/30 dev " + internetLink + "\n"
                + "link set " + internetLink + " up\n";
        run(List.of("ip", "-batch", "-"), setup);
        run(List.of("ip", "-n", internet, "-batch", "-"), "link set lo up\naddr add " + INTERNET_SERVER
                + "/30 dev eth0\nlink set eth0 up\nroute add default via " + INTERNET_HOST_END + "\n");
        internetServer = new ProcessBuilder("ip", "netns", "exec", internet, "python3", "-c", """
                import socket
                s = socket.socket()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(('%s', %d))
                s.listen(64)
                while True:
                    c, _ = s.accept()
                    c.sendall(b'internet\\n')
                    c.close()
                """.formatted(INTERNET_SERVER, INTERNET_PORT)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(INTERNET_SERVER, INTERNET_PORT), 1000);
                return true;
            }
        });
    }

    private static void run(List<String> command, String input) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(command + ": " + output).isZero();
    }
}
