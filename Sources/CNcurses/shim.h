// ncurses, wide-character build. Macros are wrapped as functions so Swift
// never hard-codes their values.
#ifndef TENSH_CNCURSES_SHIM_H
#define TENSH_CNCURSES_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/curses.h>

static inline int tensh_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int tensh_getmaxx(WINDOW *w) { return getmaxx(w); }
static inline int tensh_color_pair(int n) { return COLOR_PAIR(n); }
static inline int tensh_a_bold(void) { return A_BOLD; }
static inline int tensh_a_reverse(void) { return A_REVERSE; }
static inline int tensh_a_underline(void) { return A_UNDERLINE; }
static inline int tensh_key_resize(void) { return KEY_RESIZE; }
static inline WINDOW *tensh_stdscr(void) { return stdscr; }
static inline int tensh_colors(void) { return COLORS; }
static inline int tensh_color_pairs(void) { return COLOR_PAIRS; }

#endif
