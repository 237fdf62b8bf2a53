/* sluice-shim --spawner: the node runner's long-lived launcher of shims (spawner.c). */
#ifndef SLUICE_SPAWNER_H
#define SLUICE_SPAWNER_H

/* Serves spawn requests on stdin until it ends; returns the exit code. */
int spawner_main(void);

#endif
