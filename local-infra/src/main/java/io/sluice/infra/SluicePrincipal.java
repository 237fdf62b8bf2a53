package io.sluice.infra;

import static io.sluice.schemas.Topic.DEAD_LETTER;
import static io.sluice.schemas.Topic.JOB_EVENTS;
import static io.sluice.schemas.Topic.JOB_LOGS;
import static io.sluice.schemas.Topic.JOB_REQUESTS;
import static io.sluice.schemas.Topic.JOB_STATE;
import static io.sluice.schemas.Topic.NODE_COMMANDS;
import static io.sluice.schemas.Topic.NODE_EVENTS;
import static io.sluice.schemas.Topic.NODE_HEARTBEATS;
import static io.sluice.schemas.Topic.RESOURCE_DEMANDS;
import static io.sluice.schemas.Topic.RESOURCE_EVENTS;
import static io.sluice.schemas.Topic.RESOURCE_TYPES;
import static io.sluice.schemas.Topic.WORKER_DEMANDS;
import static io.sluice.schemas.Topic.WORKER_EVENTS;

import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicCreator;
import io.sluice.schemas.TopicNaming;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The principals of a secured Sluice broker and what each may do: every service reads only the topics it consumes
 * and writes only those it produces, in consumer groups named after itself; the user (people, with the CLI) submits
 * and cancels jobs and reads what the CLI shows. The admin, a super user, creates the topics; nobody else can.
 */
public enum SluicePrincipal {

    JOB_SERVICE("job-service",
            EnumSet.of(JOB_REQUESTS, WORKER_EVENTS, NODE_EVENTS, RESOURCE_EVENTS, RESOURCE_TYPES),
            EnumSet.of(JOB_EVENTS, JOB_STATE, RESOURCE_DEMANDS, WORKER_DEMANDS, NODE_COMMANDS, DEAD_LETTER),
            "job-service."),
    RESOURCE_WELL("resource-well",
            EnumSet.of(RESOURCE_DEMANDS),
            EnumSet.of(RESOURCE_EVENTS, RESOURCE_TYPES, DEAD_LETTER),
            "resource-well."),
    WORKER_FACTORY("worker-factory",
            EnumSet.of(WORKER_DEMANDS, NODE_HEARTBEATS, NODE_EVENTS),
            EnumSet.of(WORKER_EVENTS, NODE_COMMANDS, DEAD_LETTER),
            "worker-factory."),
    /** Reads its commands with assigned partitions: no consumer group. */
    NODE_RUNNER("node-runner",
            EnumSet.of(NODE_COMMANDS),
            EnumSet.of(NODE_EVENTS, NODE_HEARTBEATS, JOB_LOGS, DEAD_LETTER),
            null),
    /**
     * People: submit and cancel (the one topic they write), read the status topics (`sluice watch`, `logs`, and
     * `events` and `trace` of those topics), with assigned partitions; the services' own topics are the operator's.
     */
    USER("user",
            EnumSet.of(JOB_REQUESTS, JOB_EVENTS, JOB_STATE, JOB_LOGS),
            EnumSet.of(JOB_REQUESTS),
            null);

    private final String userName;
    private final Set<Topic> reads;
    private final Set<Topic> writes;
    private final String groupPrefix;

    SluicePrincipal(String userName, Set<Topic> reads, Set<Topic> writes, String groupPrefix) {
        this.userName = userName;
        this.reads = reads;
        this.writes = writes;
        this.groupPrefix = groupPrefix;
    }

    /** The SCRAM user name, also the service's module name. */
    public String userName() {
        return userName;
    }

    public Set<Topic> reads() {
        return EnumSet.copyOf(reads);
    }

    public Set<Topic> writes() {
        return EnumSet.copyOf(writes);
    }

    /** The prefix of the consumer groups it may use (after the topic prefix), or null when it uses none. */
    public String groupPrefix() {
        return groupPrefix;
    }

    /** Its ACLs on topics named by {@code naming} (READ and WRITE imply DESCRIBE). */
    public List<AclBinding> acls(TopicNaming naming) {
        List<AclBinding> acls = new ArrayList<>();
        reads.forEach(topic -> acls.add(allow(ResourceType.TOPIC, naming.nameOf(topic), PatternType.LITERAL,
                AclOperation.READ)));
        writes.forEach(topic -> acls.add(allow(ResourceType.TOPIC, naming.nameOf(topic), PatternType.LITERAL,
                AclOperation.WRITE)));
        if (groupPrefix != null) {
            acls.add(allow(ResourceType.GROUP, naming.prefix() + groupPrefix, PatternType.PREFIXED,
                    AclOperation.READ));
        }
        return acls;
    }

    private AclBinding allow(ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + userName, "*", operation, AclPermissionType.ALLOW));
    }

    /**
     * Prepares a secured broker for Sluice as its admin: creates every topic of the catalogue, sets each principal's
     * SCRAM password and adds its ACLs. Safe to run again (existing topics stay, passwords are set anew).
     */
    public static void prepare(LocalKafka kafka, TopicNaming naming, Map<SluicePrincipal, String> passwords) {
        try (Admin admin = kafka.admin()) {
            new TopicCreator(admin, naming).createAll();
        }
        Map<String, String> users = new LinkedHashMap<>();
        passwords.forEach((principal, password) -> users.put(principal.userName(), password));
        kafka.setScramUsers(users);
        List<AclBinding> acls = new ArrayList<>();
        passwords.keySet().forEach(principal -> acls.addAll(principal.acls(naming)));
        kafka.allow(acls);
    }
}
