#ifndef RAPPORT_TEST_PSEUDO_TERMINAL_H
#define RAPPORT_TEST_PSEUDO_TERMINAL_H

#include <stddef.h>
#include <sys/types.h>

/// Starts `argv[0]` (a path) on a new pseudo-terminal of `columns` x `rows`
/// that becomes its controlling terminal, as a login shell's would: Ctrl-C
/// typed on it sends SIGINT. The child gets a clean signal mask and default
/// signal dispositions, and no file descriptor of ours but the terminal.
/// Returns the controlling side's descriptor and sets `*pid`, or -1 with errno.
int rapport_test_spawn_on_terminal(char *const argv[], char *const envp[],
                                   unsigned short columns, unsigned short rows, pid_t *pid);

#endif
