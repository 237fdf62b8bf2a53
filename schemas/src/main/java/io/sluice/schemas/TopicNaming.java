package io.sluice.schemas;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names the catalogue's topics under a prefix, so that tests (and side-by-side installations) stay apart;
 * everything that names a topic goes through it.
 */
public record TopicNaming(String prefix) {

    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]*");
    private static final int LONGEST_TOPIC_NAME = 249;

    /** No prefix: the production names, e.g. {@code sluice.job.events}. */
    public static final TopicNaming DEFAULT = new TopicNaming("");

    public TopicNaming {
        Objects.requireNonNull(prefix, "prefix");
        if (!LEGAL.matcher(prefix).matches()) {
            throw new IllegalArgumentException(
                    "topic prefix '" + prefix + "' may only contain ASCII letters, digits, '.', '_' and '-'");
        }
        int longest = Arrays.stream(Topic.values()).mapToInt(topic -> topic.topicName().length()).max().orElse(0);
        if (prefix.length() + longest > LONGEST_TOPIC_NAME) {
            throw new IllegalArgumentException("topic prefix '" + prefix + "' makes topic names longer than "
                    + LONGEST_TOPIC_NAME + " characters");
        }
    }

    public TopicNaming() {
        this("");
    }

    /** The full name of a topic: the prefix followed by its catalogue name. */
    public String nameOf(Topic topic) {
        return prefix + topic.topicName();
    }

    /** The catalogue entry a full topic name stands for under this prefix. */
    public Optional<Topic> topicOf(String fullName) {
        if (!fullName.startsWith(prefix)) {
            return Optional.empty();
        }
        return Topic.byName(fullName.substring(prefix.length()));
    }
}
