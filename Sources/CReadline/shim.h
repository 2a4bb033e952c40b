// A thin C layer over GNU readline for Swift 6.
//
// Readline's configuration lives in C globals, which Swift 6 cannot read or
// write safely, so each one that rapport needs gets a static inline accessor.
// The SIGINT flag and the line handler live here too: a signal handler must
// only touch a `volatile sig_atomic_t`, which is plain C.
#ifndef RAPPORT_CREADLINE_SHIM_H
#define RAPPORT_CREADLINE_SHIM_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <readline/readline.h>
#include <readline/history.h>

// MARK: configuration globals

static inline void rapport_rl_set_name(const char *name) { rl_readline_name = name; }

/// rapport handles SIGINT and SIGWINCH itself (see below), so readline must not.
static inline void rapport_rl_leave_signals_to_caller(void) {
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
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
static inline int rapport_history_base(void) { return history_base; }

// MARK: Ctrl-C and window resizes

static volatile sig_atomic_t rapport_interrupted = 0;
static volatile sig_atomic_t rapport_resized = 0;
static volatile sig_atomic_t rapport_terminated = 0;
/// The self-pipe: the handler writes a byte, and the read loop polls the other
/// end beside the terminal. A signal that lands while the loop is busy outside
/// poll() still wakes the next poll(), which EINTR alone would not.
static int rapport_wake_pipe[2] = {-1, -1};

static void rapport_on_signal(int signal_number) {
    int saved_errno = errno;
    if (signal_number == SIGINT) rapport_interrupted = 1;
    if (signal_number == SIGWINCH) rapport_resized = 1;
    if (signal_number == SIGTERM || signal_number == SIGHUP) rapport_terminated = 1;
    if (rapport_wake_pipe[1] >= 0) {
        ssize_t ignored = write(rapport_wake_pipe[1], "!", 1);
        (void)ignored;
    }
    errno = saved_errno;
}

/// The end of the self-pipe the read loop polls.
static inline int rapport_wake_descriptor(void) { return rapport_wake_pipe[0]; }

/// Empties the self-pipe after a wake-up.
static inline void rapport_drain_wake(void) {
    char buffer[64];
    while (read(rapport_wake_pipe[0], buffer, sizeof buffer) > 0) {}
}

/// Installs handlers for SIGINT (Ctrl-C), SIGWINCH (resize), and SIGTERM and
/// SIGHUP (asked to stop, terminal gone) that raise flags and wake the read
/// loop through the self-pipe, so the loop can restore the terminal before
/// leaving instead of dying in raw mode. Also unblocks them: a parent may have
/// started us with them blocked, and then Ctrl-C would do nothing at all.
static inline int rapport_install_signal_handlers(void) {
    if (rapport_wake_pipe[0] < 0) {
        if (pipe(rapport_wake_pipe) != 0) return -1;
        for (int i = 0; i < 2; i++) {
            fcntl(rapport_wake_pipe[i], F_SETFL, fcntl(rapport_wake_pipe[i], F_GETFL) | O_NONBLOCK);
            fcntl(rapport_wake_pipe[i], F_SETFD, FD_CLOEXEC);
        }
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = rapport_on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    int handled_signals[] = {SIGINT, SIGWINCH, SIGTERM, SIGHUP};
    sigset_t handled;
    sigemptyset(&handled);
    for (size_t i = 0; i < sizeof handled_signals / sizeof handled_signals[0]; i++) {
        if (sigaction(handled_signals[i], &action, NULL) != 0) return -1;
        sigaddset(&handled, handled_signals[i]);
    }
    return sigprocmask(SIG_UNBLOCK, &handled, NULL);
}

/// Returns 1 once for each Ctrl-C since the last call.
static inline int rapport_take_interrupt(void) {
    int was = rapport_interrupted;
    rapport_interrupted = 0;
    return was;
}

/// 1 once SIGTERM or SIGHUP has arrived (it stays 1: the console is leaving).
static inline int rapport_was_terminated(void) { return rapport_terminated; }

/// Returns 1 once after the terminal was resized.
static inline int rapport_take_resize(void) {
    int was = rapport_resized;
    rapport_resized = 0;
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
