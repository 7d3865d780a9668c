/* The terminal: curses set-up and teardown (on every exit path), colours
 * with a monochrome fallback, and keys turned into keys.h codes. The only
 * place, with draw.c, that includes curses. */
#ifndef HOOKMAN_TERM_H
#define HOOKMAN_TERM_H

enum color {
	C_NORMAL, C_HEADER, C_BAR_KEY, C_BAR_LABEL, C_SELECTED, C_OK, C_BAD, C_DIM, C_WARN,
	C_MARK,     /* the character a payload error points at */
	C_COUNT
};

/* Whether the interface can run here: standard input and output are a
 * terminal, and its type (TERM) is known and can move the cursor. 0, or -1
 * with err saying which is missing and pointing to the commands; *no_tty
 * tells the first case (not a terminal at all) from the others. Nothing
 * is drawn and the terminal is left as it was. */
int term_usable(int *no_tty, char *err);

/* Start curses (after term_usable). Installs handlers so SIGTERM, SIGHUP
 * and a crash restore the terminal. 0, or -1 when curses cannot start. */
int term_start(void);

/* Restore the terminal; safe to call twice. */
void term_stop(void);

/* Suspend for an external program and come back. */
void term_suspend(void);
void term_resume(void);

/* Ctrl-Z: give the terminal back, stop as the shell's job control would
 * stop us (SIGTSTP), and take the terminal again once 'fg' continues us. */
void term_stop_job(void);

/* Wait up to timeout_ms for a key (-1: forever). Returns the key, 0 on
 * timeout, or -1 when a terminating signal arrived. Printable characters
 * come back as their code point. */
int term_key(int timeout_ms);

/* Where the last HK_CLICK happened: screen row and column, from 0; -1
 * and -1 before the first click. */
void term_mouse_at(int *y, int *x);

/* Screen size. */
int term_rows(void);
int term_cols(void);

/* Colour attribute for a role (A_NORMAL-based when colours are off or
 * NO_COLOR is set). */
int term_attr(enum color c);

#endif
