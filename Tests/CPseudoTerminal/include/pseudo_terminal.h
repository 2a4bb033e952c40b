#ifndef RAPPORT_TEST_PSEUDO_TERMINAL_H
#define RAPPORT_TEST_PSEUDO_TERMINAL_H

#include <stddef.h>

/// Opens a new pseudo-terminal pair's controlling side, sizes it
/// (columns x rows), and writes the path of the other side into `name`.
/// Returns the file descriptor, or -1 with errno set.
int rapport_test_open_pseudo_terminal(char *name, size_t name_size, unsigned short columns, unsigned short rows);

#endif
