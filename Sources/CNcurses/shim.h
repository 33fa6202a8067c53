#ifndef DUBAN_CNCURSES_SHIM_H
#define DUBAN_CNCURSES_SHIM_H
// The wide-character API must be switched on before curses.h is read.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Swift imports neither C variadics nor function-like macros: small wrappers for what duban uses.

static inline int duban_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline attr_t duban_a_bold(void) { return A_BOLD; }
static inline attr_t duban_a_reverse(void) { return A_REVERSE; }
static inline attr_t duban_a_dim(void) { return A_DIM; }
static inline attr_t duban_a_underline(void) { return A_UNDERLINE; }
static inline attr_t duban_a_normal(void) { return A_NORMAL; }

/// Writes `count` wide characters at (y, x) with the given attributes and colour pair.
static inline int duban_put(int y, int x, const wchar_t *text, int count, attr_t attrs, short pair) {
    attr_set(attrs, pair, NULL);
    return mvaddnwstr(y, x, text, count);
}

static inline int duban_lines(void) { return LINES; }
static inline int duban_cols(void) { return COLS; }
static inline WINDOW *duban_stdscr(void) { return stdscr; }
static inline WINDOW *duban_curscr(void) { return curscr; }
static inline const char *duban_codeset(void) { return nl_langinfo(CODESET); }

#include <signal.h>
#include <poll.h>
#include <unistd.h>

/// Set by SIGHUP (the SSH connection went away) or SIGTERM: the dashboard leaves its loop and restores
/// the terminal instead of running on with nobody to read it.
static volatile sig_atomic_t duban_stop_flag = 0;
static void duban_on_stop_signal(int signal_number) { (void)signal_number; duban_stop_flag = 1; }
static inline void duban_install_stop_signals(void) {
    struct sigaction action;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    action.sa_handler = duban_on_stop_signal;
    sigaction(SIGHUP, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    /* A parent may have left them blocked (the mask survives exec): a blocked stop is never seen. */
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGHUP);
    sigaddset(&stops, SIGTERM);
    sigprocmask(SIG_UNBLOCK, &stops, NULL);
}
static inline int duban_stop_requested(void) { return duban_stop_flag; }

#include <sys/ioctl.h>

/// Set by SIGWINCH. duban reads the terminal itself (not through curses' getch, which is what would notice a resize),
/// so it catches the signal itself; installed before initscr, curses leaves it in place.
static volatile sig_atomic_t duban_resize_flag = 0;
static void duban_on_resize_signal(int signal_number) { (void)signal_number; duban_resize_flag = 1; }
static inline void duban_install_resize_signal(void) {
    struct sigaction action;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;                       /* no SA_RESTART: the wait for input wakes up at once */
    action.sa_handler = duban_on_resize_signal;
    sigaction(SIGWINCH, &action, NULL);
}
/// 1 once after each resize signal.
static inline int duban_take_resize(void) {
    int resized = duban_resize_flag;
    duban_resize_flag = 0;
    return resized;
}
/// The terminal's size as the kernel knows it: 0, or -1 when it cannot tell.
static inline int duban_terminal_size(int *rows, int *columns) {
    struct winsize size;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 && ioctl(STDIN_FILENO, TIOCGWINSZ, &size) != 0) return -1;
    if (size.ws_row == 0 || size.ws_col == 0) return -1;
    *rows = size.ws_row;
    *columns = size.ws_col;
    return 0;
}

/// Waits up to `milliseconds` for the terminal: 1 readable, 0 timeout, -1 hung up (or gone).
static inline int duban_wait_input(int milliseconds) {
    struct pollfd fd = { .fd = STDIN_FILENO, .events = POLLIN, .revents = 0 };
    int n = poll(&fd, 1, milliseconds);
    if (n < 0) return 0;                       /* interrupted by a signal: the caller looks again */
    if (n == 0) return 0;
    if (fd.revents & (POLLHUP | POLLERR | POLLNVAL)) return -1;
    return 1;
}
// stdio's error flag for stdout, which Swift 6 cannot name (a global var): duban checks every command's output with it.
#include <stdio.h>
static inline int duban_stdout_failed(void) { return fflush(stdout) != 0 || ferror(stdout) != 0; }

#endif
