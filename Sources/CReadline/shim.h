// A thin C layer over GNU readline for Swift 6.
//
// Readline's configuration lives in C globals, which Swift 6 cannot read or
// write safely, so each one that rapport needs gets a static inline accessor.
// The SIGINT flag and the line handler live here too: a signal handler must
// only touch a `volatile sig_atomic_t`, which is plain C.
#ifndef RAPPORT_CREADLINE_SHIM_H
#define RAPPORT_CREADLINE_SHIM_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <readline/readline.h>
#include <readline/history.h>

// MARK: configuration globals

static inline void rapport_rl_set_name(const char *name) { rl_readline_name = name; }

static inline void rapport_rl_set_catch_signals(int on) {
    rl_catch_signals = on;
    rl_catch_sigwinch = on;
}

static inline void rapport_rl_set_completion(rl_completion_func_t *function) {
    rl_attempted_completion_function = function;
}

/// Tells readline not to fall back to file-name completion for this attempt.
static inline void rapport_rl_completion_over(void) { rl_attempted_completion_over = 1; }

/// The whole line being edited, for completing only at its start.
static inline const char *rapport_rl_line_buffer(void) { return rl_line_buffer; }
static inline int rapport_rl_point(void) { return rl_point; }

static inline int rapport_history_length(void) { return history_length; }

// MARK: Ctrl-C

static volatile sig_atomic_t rapport_interrupted = 0;

static void rapport_on_sigint(int signal_number) {
    (void)signal_number;
    rapport_interrupted = 1;
}

/// Installs a SIGINT handler that only raises a flag. No SA_RESTART, so a
/// blocking poll() or read() returns EINTR and the loop can look at the flag.
static inline int rapport_install_sigint_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = rapport_on_sigint;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    return sigaction(SIGINT, &action, NULL);
}

/// Returns 1 once for each Ctrl-C since the last call.
static inline int rapport_take_interrupt(void) {
    int was = rapport_interrupted;
    rapport_interrupted = 0;
    return was;
}

// MARK: the callback (alternate) interface

static char *rapport_completed_line = NULL;
static int rapport_line_state = 0; // 0 reading, 1 line complete, 2 end of input

static void rapport_on_line(char *line) {
    rapport_completed_line = line;
    rapport_line_state = line ? 1 : 2;
    // Stop prompting while the bot answers; the next read installs it again.
    rl_callback_handler_remove();
}

static inline void rapport_begin_line(const char *prompt) {
    rapport_completed_line = NULL;
    rapport_line_state = 0;
    rl_callback_handler_install(prompt, rapport_on_line);
}

/// 0 while the customer is typing, 1 when a line is complete, 2 on Ctrl-D.
static inline int rapport_line_status(void) { return rapport_line_state; }

/// The completed line; the caller owns it and must free() it.
static inline char *rapport_take_line(void) {
    char *line = rapport_completed_line;
    rapport_completed_line = NULL;
    return line;
}

/// Abandons the line being typed after Ctrl-C, leaving the terminal sane.
static inline void rapport_abandon_line(void) {
    rl_free_line_state();
    rl_callback_sigcleanup();
    rl_replace_line("", 0);
    rl_callback_handler_remove();
    rapport_line_state = 0;
}

#endif
