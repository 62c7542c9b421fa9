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

// Workbench backend: the dim attribute, and one cell drawn with an extended colour pair.
static inline int tensh_a_dim(void) { return A_DIM; }
static inline int tensh_put_cell(WINDOW *w, int y, int x, const wchar_t *text, int attrs, int pair) {
    cchar_t cell;
    // The opts pointer carries the pair number so pairs above 32767 work (ncurses 6.1+).
    if (setcchar(&cell, text, (attr_t)attrs, 0, &pair) != OK) return ERR;
    return mvwadd_wch(w, y, x, &cell);
}

#endif
