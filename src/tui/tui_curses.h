/* The one curses include: wide characters on. Only term.c and draw.c use
 * it; screens draw through draw.h. */
#ifndef HOOKMAN_TUI_CURSES_H
#define HOOKMAN_TUI_CURSES_H

#define NCURSES_WIDECHAR 1
#include <curses.h>

#endif
