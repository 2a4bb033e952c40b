// posix_openpt and friends are hidden from Swift's Glibc module behind
// _XOPEN_SOURCE, so the end-to-end tests reach them through this file.
#define _GNU_SOURCE
#include "pseudo_terminal.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int rapport_test_open_pseudo_terminal(char *name, size_t name_size, unsigned short columns, unsigned short rows) {
    int controller = posix_openpt(O_RDWR | O_NOCTTY);
    if (controller < 0) return -1;
    if (grantpt(controller) != 0 || unlockpt(controller) != 0 || ptsname_r(controller, name, name_size) != 0) {
        close(controller);
        return -1;
    }
    struct winsize size;
    memset(&size, 0, sizeof size);
    size.ws_col = columns;
    size.ws_row = rows;
    ioctl(controller, TIOCSWINSZ, &size);
    return controller;
}
