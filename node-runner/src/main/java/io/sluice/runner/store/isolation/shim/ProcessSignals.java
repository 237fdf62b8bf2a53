package io.sluice.runner.store.isolation.shim;

/** How a stop ladder reaches its process: the isolation mode delivers each signal under the process's lock. */
interface ProcessSignals {

    /** Sends "TERM", "INT" or "QUIT" the way the isolation mode delivers it to the process. */
    void send(String signal);

    /** SIGKILL to every process of the process. */
    void killAll();
}
