package io.sluice.runner.domain;

/** Reads a shell-style exit status: 128+n means the process died of signal n. */
public final class ExitStatus {

    private static final String[] NAMES = {
        null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
        "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM",
        "PROF", "WINCH", "IO", "PWR", "SYS"
    };

    private ExitStatus() {
    }

    /** The signal's name for a status of 128+n, else null. */
    public static String signalOf(Integer status) {
        if (status == null || status <= 128 || status > 128 + 64) {
            return null;
        }
        int signal = status - 128;
        if (signal < NAMES.length) {
            return NAMES[signal];
        }
        return signal <= 34 ? "RTMIN" : "RTMIN+" + (signal - 34);
    }
}
