package io.sluice.runner.store.isolation.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The text given to nft and ip for the host's rules and a worker's network (checked without running it). */
class NetworkScriptsTest {

    @Test
    void the_host_rules_drop_what_jobs_send_to_the_host_and_to_each_other_and_masquerade_the_rest() {
        String nft = NetworkScripts.hostRules(new NetworkSettings("10.203.0.0/16", List.of("10.0.5.0/24",
                "192.0.2.7", "fd00:5::/64"), List.of()));

        assertThat(nft).startsWith("table inet sluice_jobs {\n}\ndelete table inet sluice_jobs\n");
        assertThat(section(nft, "chain input")).contains("type filter hook input", "policy accept",
                "iifname \"sl-*\" drop");
        String forward = section(nft, "chain forward");
        assertThat(forward).contains("oifname \"sl-*\" ct state established,related accept\n"
                + "    oifname \"sl-*\" drop\n");
        assertThat(forward).contains("iifname \"sl-*\" ip daddr { 10.0.5.0/24, 192.0.2.7 } drop",
                "iifname \"sl-*\" ip6 daddr { fd00:5::/64 } drop");
        assertThat(forward.indexOf("established")).as("replies pass before the drop")
                .isLessThan(forward.indexOf("oifname \"sl-*\" drop"));
        assertThat(section(nft, "chain postrouting")).contains("type nat hook postrouting",
                "iifname \"sl-*\" oifname != \"sl-*\" masquerade");
    }

    @Test
    void the_ports_opened_to_jobs_are_accepted_at_the_host_s_address_for_jobs_alone_before_the_drop() {
        String input = section(NetworkScripts.hostRules(new NetworkSettings("10.203.0.0/16", List.of(),
                List.of(5434, 8443))), "chain input");

        assertThat(input).contains("iifname \"sl-*\" ip daddr 169.254.203.1 tcp dport { 5434, 8443 } accept");
        assertThat(input.indexOf("accept\n")).isLessThan(input.indexOf("iifname \"sl-*\" drop"));
        assertThatThrownBy(() -> new NetworkSettings("10.203.0.0/16", List.of(), List.of(70000)))
                .hasMessageContaining("sluice.node.host-ports-for-jobs: 70000");
    }

    @Test
    void without_denied_destinations_the_forward_chain_names_none() {
        assertThat(NetworkScripts.hostRules(NetworkSettings.defaults())).doesNotContain("daddr");
    }

    @Test
    void a_worker_s_network_is_a_namespace_with_a_veth_pair_on_a_slash_30_and_a_default_route_via_the_host_end() {
        Ipv4Block link = NetworkSettings.defaults().poolBlock().nth(30, 5);

        assertThat(link).hasToString("10.203.0.20/30");
        assertThat(NetworkScripts.createOnHost("sluice-abc-w1", "sl-0123456789ab", link)).isEqualTo("""
                netns add sluice-abc-w1
                link add sl-0123456789ab type veth peer name eth0 netns sluice-abc-w1
                addr add 10.203.0.21/30 dev sl-0123456789ab
                link set sl-0123456789ab up
                """);
        assertThat(NetworkScripts.createInside(link)).isEqualTo("""
                link set lo up
                addr add 10.203.0.22/30 dev eth0
                link set eth0 up
                route add default via 10.203.0.21
                """);
        assertThat(NetworkScripts.remove("sluice-abc-w1", "sl-0123456789ab", true, true))
                .isEqualTo("link delete sl-0123456789ab\nnetns delete sluice-abc-w1\n");
        assertThat(NetworkScripts.remove("sluice-abc-w1", "sl-0123456789ab", false, true))
                .isEqualTo("netns delete sluice-abc-w1\n");
    }

    @Test
    void host_link_names_fit_in_an_interface_name_and_differ_per_namespace() {
        String one = VethNetworks.hostLinkOf("sluice-0123456789ab-" + "w".repeat(128));
        String other = VethNetworks.hostLinkOf("sluice-0123456789ab-w2");

        assertThat(one).startsWith("sl-").hasSize(15).matches("sl-[0-9a-f]{12}");
        assertThat(other).isNotEqualTo(one).hasSize(15);
    }

    @Test
    void the_pool_and_the_denied_destinations_are_checked_naming_the_setting_and_the_value() {
        assertThatThrownBy(() -> new NetworkSettings("10.203.0.1/16", List.of(), List.of()))
                .hasMessageContaining("sluice.node.network-pool").hasMessageContaining("10.203.0.0/16");
        assertThatThrownBy(() -> new NetworkSettings("10.203.0.0/31", List.of(), List.of()))
                .hasMessageContaining("sluice.node.network-pool '10.203.0.0/31' is too small");
        assertThatThrownBy(() -> new NetworkSettings("10.300.0.0/16", List.of(), List.of()))
                .hasMessageContaining("'300' is not 0-255");
        assertThatThrownBy(() -> new NetworkSettings("10.203.0.0/16", List.of("10.0.0.0/8; flush ruleset"), List.of()))
                .hasMessageContaining("sluice.node.network-denied-destinations");
        assertThatThrownBy(() -> new NetworkSettings("10.203.0.0/16", List.of("db.example"), List.of()))
                .hasMessageContaining("sluice.node.network-denied-destinations: 'db.example'");
        assertThatThrownBy(() -> new NetworkSettings("10.203.0.0/16", List.of("fd00::/200"), List.of()))
                .hasMessageContaining("prefix length must be 0-128");
    }

    @Test
    void a_block_knows_its_slash_30s() {
        Ipv4Block pool = Ipv4Block.parse("10.203.0.0/16");

        assertThat(pool.count(30)).isEqualTo(16384);
        assertThat(pool.contains(Ipv4Block.parseAddress("10.203.255.254", "x"))).isTrue();
        assertThat(pool.contains(Ipv4Block.parseAddress("10.204.0.1", "x"))).isFalse();
        assertThat(pool.indexOf(Ipv4Block.parseAddress("10.203.1.6", "x"), 30)).isEqualTo(65);
        assertThat(pool.nth(30, 65)).hasToString("10.203.1.4/30");
    }

    private static String section(String nft, String header) {
        int start = nft.indexOf(header);
        assertThat(start).as(header).isNotNegative();
        return nft.substring(start, nft.indexOf("  }", start));
    }
}
