// The end-to-end tests drive rapport on a real pseudo-terminal. posix_openpt
// and friends are hidden from Swift's Glibc module, and the child must become
// a session leader with the terminal as its controlling terminal and inherit
// none of the test process's other descriptors (a leaked pipe end would keep
// another test's server from ever seeing end of input), so this is plain C.
#define _GNU_SOURCE
#include "pseudo_terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int rapport_test_spawn_on_terminal(char *const argv[], char *const envp[],
                                   unsigned short columns, unsigned short rows, pid_t *pid) {
    int controller = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (controller < 0) return -1;
    char name[128];
    if (grantpt(controller) != 0 || unlockpt(controller) != 0 || ptsname_r(controller, name, sizeof name) != 0) {
        close(controller);
        return -1;
    }
    struct winsize size;
    memset(&size, 0, sizeof size);
    size.ws_col = columns;
    size.ws_row = rows;
    ioctl(controller, TIOCSWINSZ, &size);

    pid_t child = fork();
    if (child < 0) {
        int saved = errno;
        close(controller);
        errno = saved;
        return -1;
    }
    if (child == 0) {
        // Only async-signal-safe calls between fork and exec.
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGINT, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        setsid();
        int terminal = open(name, O_RDWR); // becomes the controlling terminal
        if (terminal < 0) _exit(127);
        ioctl(terminal, TIOCSCTTY, 0);
        dup2(terminal, 0);
        dup2(terminal, 1);
        dup2(terminal, 2);
        closefrom(3);
        execve(argv[0], argv, envp);
        _exit(127);
    }
    *pid = child;
    return controller;
}
