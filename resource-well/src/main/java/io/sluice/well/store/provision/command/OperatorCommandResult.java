package io.sluice.well.store.provision.command;

/** How an operator's command ended: its exit code, what it printed on stdout, and the end of its stderr. */
record OperatorCommandResult(int exitCode, byte[] stdout, String stderrTail) {

    /** The end of stderr to put in a message, or a note that there was none. */
    String stderrForMessage() {
        return describeStderr(stderrTail);
    }

    static String describeStderr(String tail) {
        return tail.isBlank() ? "(nothing on stderr)" : "stderr ends with:\n" + tail.strip();
    }
}
