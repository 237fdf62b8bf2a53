package io.sluice.runner.store.isolation.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.runner.store.isolation.process.HostCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workers' networks on the real kernel: what a worker gets, and that nothing of it is left once removed. */
class VethNetworksTest {

    @TempDir
    Path stateDir;
    private VethNetworks networks;

    @BeforeEach
    void open() throws Exception {
        networks = VethNetworks.open(stateDir, NetworkSettings.defaults());
    }

    @AfterEach
    void removeAll() throws Exception {
        networks.removeAll();
    }

    @Test
    void a_worker_gets_a_namespace_with_loopback_its_own_address_and_a_default_route_via_the_host_end()
            throws Exception {
        Path namespace = networks.create("w-net-1");
        String name = namespace.getFileName().toString();
        String link = VethNetworks.hostLinkOf(name);

        assertThat(namespace).exists().hasParent(VethNetworks.NAMESPACES_DIR);
        assertThat(Path.of("/sys/class/net", link)).exists();
        String hostEnd = ip("-4", "-o", "addr", "show", "dev", link);
        assertThat(hostEnd).matches("(?s).*inet 10\\.203\\.\\d+\\.\\d+/30 .*");
        String inside = ip("-n", name, "-o", "addr", "show");
        assertThat(inside).contains("lo").contains("inet 127.0.0.1/8").matches("(?s).*eth0.*inet 10\\.203\\..*/30.*");
        assertThat(ip("-n", name, "route", "show", "default")).startsWith("default via 10.203.").contains("dev eth0");
        assertThat(ip("-o", "link", "show", "up")).as("up").contains(link);
        assertThat(HostCommands.run(List.of("nft", "list", "table", "inet", "sluice_jobs"), Duration.ofSeconds(10))
                .output()).contains("iifname \"sl-*\" drop");
        assertThat(Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip()).isEqualTo("1");
    }

    @Test
    void two_workers_get_different_links_and_each_removal_leaves_nothing_of_it() throws Exception {
        Path one = networks.create("w-net-2");
        Path other = networks.create("w-net-3");
        String oneLink = VethNetworks.hostLinkOf(one.getFileName().toString());
        String oneAddress = ip("-4", "-o", "addr", "show", "dev", oneLink).replaceAll("(?s).*inet (\\S+)/30.*", "$1");

        assertThat(ip("-4", "-o", "addr", "show", "dev", VethNetworks.hostLinkOf(other.getFileName().toString())))
                .doesNotContain(oneAddress + "/");
        networks.remove("w-net-2");

        assertThat(one).doesNotExist();
        assertThat(Path.of("/sys/class/net", oneLink)).doesNotExist();
        assertThat(ip("-4", "-o", "addr", "show")).doesNotContain(oneAddress + "/");
        assertThat(other).exists();
        networks.remove("w-net-2"); // twice: nothing to do
    }

    @Test
    void creating_again_replaces_what_an_interrupted_preparation_left() throws Exception {
        Path first = networks.create("w-net-4");
        ip("-n", first.getFileName().toString(), "link", "set", "eth0", "down");

        Path second = networks.create("w-net-4");

        assertThat(second).isEqualTo(first).exists();
        assertThat(ip("-n", second.getFileName().toString(), "-o", "link", "show", "eth0")).contains(",UP");
    }

    @Test
    void at_start_the_networks_of_workers_no_longer_here_go_and_those_of_workers_still_here_come_back()
            throws Exception {
        Path gone = networks.create("w-net-5");
        Path kept = networks.create("w-net-6");
        networks.remove("w-net-6"); // as a reboot would
        // A namespace of another runner (another state dir) is not this runner's to remove.
        VethNetworks another = VethNetworks.open(stateDir.resolve("another"), NetworkSettings.defaults());
        Path theirs = another.create("w-net-5");

        networks.reconcile(List.of("w-net-6"));

        assertThat(gone).doesNotExist();
        assertThat(Path.of("/sys/class/net", VethNetworks.hostLinkOf(gone.getFileName().toString())))
                .doesNotExist();
        assertThat(kept).exists();
        assertThat(theirs).exists();
        another.removeAll();
        assertThat(theirs).doesNotExist();
    }

    @Test
    void a_resolver_on_the_host_s_loopback_is_found_for_the_warning() {
        assertThat(VethNetworks.loopbackResolver(List.of("# systemd-resolved", "nameserver 127.0.0.53",
                "options edns0"))).isEqualTo("127.0.0.53");
        assertThat(VethNetworks.loopbackResolver(List.of("nameserver 10.255.255.53", "nameserver ::1")))
                .isEqualTo("::1");
        assertThat(VethNetworks.loopbackResolver(List.of("nameserver 10.255.255.53", "search example.org")))
                .isNull();
    }

    private static String ip(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        HostCommands.Result result = HostCommands.run(command, Duration.ofSeconds(10));
        assertThat(result.ok()).as(String.join(" ", command) + ": " + result.output()).isTrue();
        return result.output();
    }
}
