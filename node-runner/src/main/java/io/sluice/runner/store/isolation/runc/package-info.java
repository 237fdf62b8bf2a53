/**
 * Runs a node's job processes isolated the way bpm does: one runc container per process, tini as PID 1, read-only
 * host system directories, the job's own writable directories, an unprivileged user, cgroup limits, and the stop
 * ladder TERM (or INT) → grace → QUIT → 2 s → KILL of the whole cgroup.
 *
 * <p>Inside a container: {@code /sluice/data} (the default working directory and HOME), {@code /sluice/tmp} (also
 * {@code /tmp} and {@code /var/tmp}; TMPDIR), {@code /sluice/logs} (the job's log directory), {@code /sluice/store}
 * and {@code /sluice/resources} (read-only) when given; SLUICE_JOB_ID, SLUICE_PROCESS_NAME, SLUICE_DATA_DIR,
 * SLUICE_LOG_DIR, SLUICE_STORE_DIR and SLUICE_RESOURCES_DIR say where. The hostname is the job id.
 *
 * <p>Each process runs under a small detached shim so that it outlives the runner: the native {@code sluice-shim}
 * ({@code src/main/c/sluice-shim.c}, compiled by the module's build into the jar and installed by the runner as
 * {@code <stateRoot>/bin/sluice-shim}) calls setsid(), runs {@code runc run …} and writes its status to
 * {@code exit_status} as {@code echo $?} would. Where the binary is missing or cannot run, the runner says why in one
 * warning and uses the same thing as a shell script ({@code setsid sh -c '…; echo $? > exit_status'}), about 1 ms
 * slower per launch. A process's state lives in {@code <stateRoot>/processes/<id>/}, from which a restarted runner
 * adopts it. Output goes to {@code <logs>/<jobId>/<process>.stdout.log} and {@code .stderr.log}, and listeners are fed by
 * following those files. Under systemd the runner's unit needs {@code KillMode=process}, or stopping the runner
 * would also signal the shims and runc.
 */
package io.sluice.runner.store.isolation.runc;
