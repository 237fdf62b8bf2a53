package io.sluice.runner.domain;

/** Where a process sees its worker's directories: fixed paths in a container, the host paths without isolation. */
public record DirsView(String data, String tmp, String logs, String store, String resources) {
}
