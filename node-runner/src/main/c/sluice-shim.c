/*
 * sluice-shim: runs one command detached from the node runner and records how it ended, so that a restarted
 * runner still learns it. Native equivalent of the shell shim in Shim.java:
 *
 *   setsid sh -c 'trap : HUP INT QUIT TERM; "$@" </dev/null >>"$o" 2>>"$e"; echo $? >"$s"'
 *
 * Usage: sluice-shim EXIT_STATUS_FILE STDOUT_LOG STDERR_LOG COMMAND [ARG...]
 *        sluice-shim --spawner   (the runner's launcher of shims: spawner.c)
 *
 * The exit status file must stay the first argument: the runner recognises a live shim by that path in
 * /proc/<pid>/cmdline. The status is written as the shell's "echo $?" writes it: the exit code, or 128 + the
 * number of the signal that killed the command; 127 when the command is not found, 126 when it cannot be executed,
 * 2 when a log file cannot be opened. The shim's own messages go to its stderr (the runner's shim.log).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawner.h"

static void ignore_signal(int sig) {
    (void) sig;
}

/* A no-op handler, not SIG_IGN: a handler is reset to the default by execve, SIG_IGN would be inherited. */
static int trap_stop_signals(void) {
    static const int signals[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = ignore_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        if (sigaction(signals[i], &action, NULL) != 0) {
            return -1;
        }
    }
    return 0;
}

static int open_retrying(const char *path, int flags) {
    int fd;
    do {
        fd = open(path, flags, 0666);
    } while (fd < 0 && errno == EINTR);
    return fd;
}

static int redirect(const char *path, int flags, int target, int messages) {
    int fd = open_retrying(path, flags);
    if (fd < 0) {
        dprintf(messages, "sluice-shim: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (fd != target) {
        while (dup2(fd, target) < 0) {
            if (errno != EINTR) {
                dprintf(messages, "sluice-shim: cannot redirect to %s: %s\n", path, strerror(errno));
                return -1;
            }
        }
        close(fd);
    }
    return 0;
}

/* In the child: redirect, then exec; only returns by exiting with the status the shell would give. */
static void run_command(char **argv, const char *stdout_log, const char *stderr_log) {
    /* The shim's stderr, kept past the redirections for messages, closed by a successful exec. */
    int messages = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    if (messages < 0) {
        messages = STDERR_FILENO;
    }
    if (redirect("/dev/null", O_RDONLY, STDIN_FILENO, messages) != 0
            || redirect(stdout_log, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, STDOUT_FILENO, messages) != 0
            || redirect(stderr_log, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, STDERR_FILENO, messages) != 0) {
        _exit(2);
    }
    execvp(argv[0], argv);
    int error = errno;
    dprintf(messages, "sluice-shim: cannot execute %s: %s\n", argv[0], strerror(error));
    switch (error) {
        case ENOENT:
        case ENOTDIR:
        case ELOOP:
        case ENAMETOOLONG:
            _exit(127);
        default:
            _exit(126);
    }
}

static int write_status(const char *path, int status) {
    char text[16];
    int length = snprintf(text, sizeof text, "%d\n", status);
    int fd = open_retrying(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    int written = 0;
    while (written < length) {
        ssize_t n = write(fd, text + written, (size_t) (length - written));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            close(fd);
            return -1;
        }
        written += (int) n;
    }
    return close(fd);
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--spawner") == 0) {
        return spawner_main();
    }
    if (argc < 5) {
        fprintf(stderr, "usage: sluice-shim EXIT_STATUS_FILE STDOUT_LOG STDERR_LOG COMMAND [ARG...]\n");
        return 2;
    }
    const char *status_file = argv[1];
    /* The runner spawns the shim as a plain child, never a group leader, so setsid() cannot fail for EPERM. */
    if (setsid() < 0) {
        fprintf(stderr, "sluice-shim: setsid: %s\n", strerror(errno));
        return 1;
    }
    if (trap_stop_signals() != 0) {
        fprintf(stderr, "sluice-shim: sigaction: %s\n", strerror(errno));
        return 1;
    }
    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "sluice-shim: fork: %s\n", strerror(errno));
        return 1;
    }
    if (child == 0) {
        run_command(argv + 4, argv[2], argv[3]);
    }
    int wait_status;
    while (waitpid(child, &wait_status, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "sluice-shim: waitpid: %s\n", strerror(errno));
            return 1;
        }
    }
    int status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
    if (write_status(status_file, status) != 0) {
        fprintf(stderr, "sluice-shim: cannot write %s: %s\n", status_file, strerror(errno));
        return 1;
    }
    return 0;
}
