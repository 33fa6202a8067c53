#ifndef DUBAN_CNCURSES_SHIM_H
#define DUBAN_CNCURSES_SHIM_H
// The wide-character API must be switched on before curses.h is read.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/curses.h>
#endif
