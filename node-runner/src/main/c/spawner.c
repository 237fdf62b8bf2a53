/*
 * sluice-shim --spawner: a long-lived helper of the node runner that starts shims on request, so that a launch costs
 * a posix_spawn from this small process instead of the JVM's spawn through its jspawnhelper (an extra exec of a
 * dynamically linked helper per launch). It is the shims' parent: it reaps them and says when each ended.
 *
 * Requests, on stdin: a 4-byte big-endian length, then that many bytes of NUL-terminated strings:
 *   ARGC ENVC CWD LOG ARG... ENV...
 * The shim gets stdin from /dev/null, stdout and stderr appended to LOG, its working directory CWD, exactly the
 * environment ENV and an empty signal mask.
 *
 * Replies, on stdout, one line each; "S" and "F" answer the requests in order, "X" comes whenever a shim ends:
 *   S <pid>                   started
 *   F <errno> <message>       not started
 *   X <pid> <status>          ended; the status as a shell's $? gives it (code, or 128 + signal)
 *
 * End of stdin (the runner closed it or died) ends the spawner; the shims go on, adopted by init, as they would be
 * had the runner started them itself.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawner.h"

#define MAX_REQUEST (16 * 1024 * 1024)

extern char **environ;

/* Reads exactly n bytes; 0 at a clean end of input before the first byte, -1 on error or a cut request. */
static int read_fully(int fd, char *buffer, size_t n) {
    size_t done = 0;
    while (done < n) {
        ssize_t got = read(fd, buffer + done, n - done);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            return done == 0 && got == 0 ? 0 : -1;
        }
        done += (size_t) got;
    }
    return 1;
}

static int write_line(const char *line) {
    size_t length = strlen(line);
    size_t done = 0;
    while (done < length) {
        ssize_t n = write(STDOUT_FILENO, line + done, length - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        done += (size_t) n;
    }
    return 0;
}

/* Splits the request into its strings; NULL-terminated argv and envp point into the request's buffer. */
static const char *parse(char *request, size_t length, char ***argv, char ***envp, char **cwd, char **log) {
    char *fields[4];
    char *at = request;
    char *end = request + length;
    if (length == 0 || end[-1] != '\0') {
        return "request does not end with NUL";
    }
    for (int i = 0; i < 4; i++) {
        if (at >= end) {
            return "request too short";
        }
        fields[i] = at;
        at += strlen(at) + 1;
    }
    long argc = strtol(fields[0], NULL, 10);
    long envc = strtol(fields[1], NULL, 10);
    if (argc < 1 || envc < 0 || argc > 100000 || envc > 100000) {
        return "bad argument or environment count";
    }
    *cwd = fields[2];
    *log = fields[3];
    char **strings = calloc((size_t) (argc + envc + 2), sizeof(char *));
    if (strings == NULL) {
        return "out of memory";
    }
    for (long i = 0; i < argc + envc; i++) {
        if (at >= end) {
            free(strings);
            return "fewer strings than counted";
        }
        strings[i + (i >= argc ? 1 : 0)] = at;
        at += strlen(at) + 1;
    }
    *argv = strings;
    *envp = strings + argc + 1;
    return NULL;
}

static pid_t spawn(char **argv, char **envp, const char *cwd, const char *log, int *error) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    sigset_t empty;
    pid_t pid = -1;
    sigemptyset(&empty);
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log, O_WRONLY | O_CREAT | O_APPEND, 0666);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_addchdir_np(&actions, cwd);
    posix_spawnattr_setsigmask(&attributes, &empty);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
    *error = posix_spawn(&pid, argv[0], &actions, &attributes, argv, envp);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    return *error == 0 ? pid : -1;
}

/* Serves one request; 0 at the end of input, -1 when the runner cannot be answered. */
static int serve(void) {
    unsigned char header[4];
    int got = read_fully(STDIN_FILENO, (char *) header, sizeof header);
    if (got <= 0) {
        return got;
    }
    uint32_t length = (uint32_t) header[0] << 24 | (uint32_t) header[1] << 16 | (uint32_t) header[2] << 8 | header[3];
    if (length > MAX_REQUEST) {
        fprintf(stderr, "sluice-shim --spawner: request of %u bytes refused\n", length);
        return -1;
    }
    char *request = malloc(length + 1u);
    if (request == NULL || read_fully(STDIN_FILENO, request, length) != 1) {
        free(request);
        return -1;
    }
    char **argv = NULL;
    char **envp = NULL;
    char *cwd = NULL;
    char *log = NULL;
    char line[256];
    const char *problem = parse(request, length, &argv, &envp, &cwd, &log);
    if (problem != NULL) {
        snprintf(line, sizeof line, "F %d %s\n", EINVAL, problem);
    } else {
        int error = 0;
        pid_t pid = spawn(argv, envp, cwd, log, &error);
        if (pid > 0) {
            snprintf(line, sizeof line, "S %ld\n", (long) pid);
        } else {
            snprintf(line, sizeof line, "F %d %s\n", error, strerror(error));
        }
    }
    free(argv);
    free(request);
    return write_line(line) == 0 ? 1 : -1;
}

/* Reaps every ended child and reports it; -1 when the runner cannot be told. */
static int reap(void) {
    int wait_status;
    pid_t pid;
    while ((pid = waitpid(-1, &wait_status, WNOHANG)) > 0) {
        int status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
        char line[64];
        snprintf(line, sizeof line, "X %ld %d\n", (long) pid, status);
        if (write_line(line) != 0) {
            return -1;
        }
    }
    return 0;
}

int spawner_main(void) {
    sigset_t children;
    sigemptyset(&children);
    sigaddset(&children, SIGCHLD);
    if (sigprocmask(SIG_BLOCK, &children, NULL) != 0) {
        fprintf(stderr, "sluice-shim --spawner: sigprocmask: %s\n", strerror(errno));
        return 1;
    }
    int ended = signalfd(-1, &children, SFD_CLOEXEC | SFD_NONBLOCK);
    if (ended < 0) {
        fprintf(stderr, "sluice-shim --spawner: signalfd: %s\n", strerror(errno));
        return 1;
    }
    struct pollfd fds[2] = {{.fd = STDIN_FILENO, .events = POLLIN}, {.fd = ended, .events = POLLIN}};
    for (;;) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            fprintf(stderr, "sluice-shim --spawner: poll: %s\n", strerror(errno));
            return 1;
        }
        if (fds[1].revents & POLLIN) {
            struct signalfd_siginfo info;
            while (read(ended, &info, sizeof info) > 0) {
            }
            if (reap() != 0) {
                return 1;
            }
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            int served = serve();
            if (served <= 0) {
                return served == 0 ? 0 : 1;
            }
        }
    }
}
