package io.sluice.runner.store.isolation;

/** Where a process sees its worker's directories: fixed paths in a container, the host paths without isolation. */
record DirsView(String data, String tmp, String logs, String store, String resources) {
}
