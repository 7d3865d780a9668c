#include "term.h"

#include "tui_curses.h"
/* terminfo, by its full name: src/tui/term.h is ours. */
#include <ncursesw/term.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "keys.h"

static volatile sig_atomic_t stop_signal;
static int started;
static int attrs[C_COUNT];
static int mouse_y = -1, mouse_x = -1;   /* where the last HK_CLICK happened */

static void on_stop(int sig)
{
	stop_signal = sig;
}

/* A crash must not leave the operator's terminal in raw mode. */
static void on_crash(int sig)
{
	if (started)
		endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void setup_colors(void)
{
	const char *no = getenv("NO_COLOR");
	int i;

	for (i = 0; i < C_COUNT; i++)
		attrs[i] = A_NORMAL;
	attrs[C_HEADER] = A_REVERSE;
	attrs[C_BAR_KEY] = A_BOLD;
	attrs[C_BAR_LABEL] = A_REVERSE;
	attrs[C_SELECTED] = A_REVERSE;
	attrs[C_BAD] = A_BOLD;
	attrs[C_WARN] = A_BOLD;
	attrs[C_DIM] = A_DIM;
	attrs[C_MARK] = A_REVERSE | A_BOLD;
	if ((no && *no) || !has_colors() || start_color() == ERR)
		return;
	use_default_colors();
	init_pair(1, COLOR_BLACK, COLOR_CYAN);
	init_pair(2, COLOR_WHITE, -1);
	init_pair(3, COLOR_BLACK, COLOR_CYAN);
	init_pair(4, COLOR_GREEN, -1);
	init_pair(5, COLOR_RED, -1);
	init_pair(6, COLOR_YELLOW, -1);
	init_pair(7, COLOR_BLACK, COLOR_CYAN);
	attrs[C_HEADER] = COLOR_PAIR(1);
	attrs[C_BAR_KEY] = A_BOLD;
	attrs[C_BAR_LABEL] = COLOR_PAIR(3);
	attrs[C_SELECTED] = COLOR_PAIR(7);
	attrs[C_OK] = COLOR_PAIR(4);
	attrs[C_BAD] = COLOR_PAIR(5) | A_BOLD;
	attrs[C_WARN] = COLOR_PAIR(6);
	init_pair(8, COLOR_WHITE, COLOR_RED);
	attrs[C_MARK] = COLOR_PAIR(8) | A_BOLD;
}

/* Bracketed paste: the terminal wraps a paste in ESC [200~ … ESC [201~,
 * so a paste is known whole, however it arrives, and is inserted all or
 * nothing. A terminal that does not know the mode ignores the request. */
static void paste_marks(int on)
{
	fputs(on ? "\033[?2004h" : "\033[?2004l", stdout);
	fflush(stdout);
}

/* Clicks and the wheel. Without click resolution (mouseinterval 0) a
 * press is reported at once instead of after a wait for its release.
 * HOOKMAN_NO_MOUSE=1 (any value but empty or 0) leaves the mouse to the
 * terminal, so that its own selection copies text without Shift held. A
 * terminal that does not report the mouse ignores the request. */
static void mouse_events(int on)
{
	const char *no = getenv("HOOKMAN_NO_MOUSE");

	if (no && *no && strcmp(no, "0") != 0)
		return;
	if (on) {
		mouseinterval(0);
		mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	} else {
		mousemask(0, NULL);
	}
}

int term_usable(int *no_tty, char *err)
{
	const char *term = getenv("TERM");
	const char *cup;
	int errret = 0;

	*no_tty = 0;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		*no_tty = 1;
		err_set(err, "hookman needs a terminal (stdin and stdout); use the commands for scripts (hookman --help)");
		return -1;
	}
	/* Asked here, where a failure is ours to report: initscr would print
	 * its own message and exit. */
	if (!term || !*term || setupterm(NULL, STDOUT_FILENO, &errret) != OK) {
		err_set(err, "the terminal type TERM=%s is unknown here, so the interface cannot draw; set TERM "
			"(e.g. xterm-256color) or use the commands: hookman list, hookman --help",
			term && *term ? term : "(unset)");
		return -1;
	}
	cup = tigetstr("cup");
	del_curterm(cur_term);
	if (!cup || cup == (const char *)-1) {
		err_set(err, "the terminal TERM=%s cannot move the cursor, which the interface needs; use the "
			"commands instead: hookman list, hookman --help", term);
		return -1;
	}
	return 0;
}

int term_start(void)
{
	struct sigaction sa;

	setenv("ESCDELAY", "25", 0);
	if (!initscr())
		return -1;
	started = 1;
	raw();               /* ^S and ^C reach us: ^S saves */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	paste_marks(1);
	mouse_events(1);
	setup_colors();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGSEGV, on_crash);
	signal(SIGABRT, on_crash);
	signal(SIGBUS, on_crash);
	signal(SIGFPE, on_crash);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

void term_stop(void)
{
	if (!started)
		return;
	started = 0;
	paste_marks(0);
	mouse_events(0);
	curs_set(1);
	endwin();
}

void term_suspend(void)
{
	paste_marks(0);
	mouse_events(0);
	def_prog_mode();
	endwin();
}

void term_resume(void)
{
	reset_prog_mode();
	refresh();
	paste_marks(1);
	mouse_events(1);
}

void term_stop_job(void)
{
	term_suspend();
	/* Raw mode keeps the terminal from sending SIGTSTP itself. */
	signal(SIGTSTP, SIG_DFL);
	raise(SIGTSTP);
	term_resume();
}

int term_rows(void)
{
	return LINES;
}

int term_cols(void)
{
	return COLS;
}

int term_attr(enum color c)
{
	return attrs[c];
}

/* A mouse event: a click of button 1 (where, kept for term_mouse_at) or
 * the wheel; any other is ignored (0). */
static int mouse(void)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return 0;
	if (ev.bstate & BUTTON4_PRESSED)
		return HK_WHEEL_UP;
	if (ev.bstate & BUTTON5_PRESSED)
		return HK_WHEEL_DOWN;
	if (!(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)))
		return 0;
	mouse_y = ev.y;
	mouse_x = ev.x;
	return HK_CLICK;
}

static int translate(int code)
{
	switch (code) {
	case KEY_UP: return HK_UP;
	case KEY_DOWN: return HK_DOWN;
	case KEY_LEFT: return HK_LEFT;
	case KEY_RIGHT: return HK_RIGHT;
	case KEY_HOME: return HK_HOME;
	case KEY_END: return HK_END;
	case KEY_PPAGE: return HK_PGUP;
	case KEY_NPAGE: return HK_PGDN;
	case KEY_BACKSPACE: return HK_BACKSPACE;
	case KEY_DC: return HK_DELETE;
	case KEY_ENTER: return HK_ENTER;
	case KEY_BTAB: return HK_BTAB;
	case KEY_RESIZE: return HK_RESIZE;
	case KEY_MOUSE: return mouse();
	default:
		if (code >= KEY_F(1) && code <= KEY_F(12))
			return HK_F(code - KEY_F0);
		return 0;
	}
}

/* After ESC [: the marks of a bracketed paste, or a plain Esc (whatever
 * followed it is given back to be read as keys). */
static int bracket(void)
{
	static const char mark[] = "[20";
	wint_t got[5] = { '[' };
	int n = 1, rc;

	while (n < 5) {
		rc = get_wch(&got[n]);
		if (rc == ERR || rc == KEY_CODE_YES) {
			if (rc == KEY_CODE_YES)
				ungetch((int)got[n]);   /* a function key: given back last, as it came */
			break;
		}
		n++;
		if (n <= 3 && got[n - 1] != (wint_t)mark[n - 1])
			break;
		if (n == 4 && got[3] != '0' && got[3] != '1')
			break;
		if (n == 5 && got[4] == '~')
			return got[3] == '0' ? HK_PASTE_BEGIN : HK_PASTE_END;
	}
	while (n > 0)
		unget_wch(got[--n]);
	return HK_ESC;
}

/* After ESC: Alt and a key (the terminal sends ESC, then the key), the
 * marks of a bracketed paste, or a plain Esc. curses has waited ESCDELAY
 * (25 ms) already, so what was sent with the ESC is there: Esc pressed
 * alone stays Esc, and so does an Esc followed by a key later than that.
 * ESC O starts a function key curses did not know; it is given back, as
 * is anything else that is not a printable ASCII key. */
static int escape(void)
{
	wint_t c;
	int rc;

	timeout(0);
	rc = get_wch(&c);
	if (rc == ERR)
		return HK_ESC;
	if (rc == KEY_CODE_YES) {
		/* The terminal's own Backspace (terminfo kbs, DEL or ^H) comes
		 * decoded. */
		if (c == KEY_BACKSPACE)
			return HK_ALT_BACKSPACE;
		ungetch((int)c);   /* a function key: given back, to be read next */
		return HK_ESC;
	}
	if (c == 127 || c == 8)
		return HK_ALT_BACKSPACE;
	if (c == '[')
		return bracket();
	if (c >= 0x20 && c <= 0x7e && c != 'O')
		return HK_ALT((int)c);
	unget_wch(c);
	return HK_ESC;
}

int term_key(int timeout_ms)
{
	wint_t ch;
	int rc;

	if (stop_signal)
		return -1;
	timeout(timeout_ms);
	rc = get_wch(&ch);
	if (stop_signal)
		return -1;
	if (rc == ERR)
		return 0;
	if (rc == KEY_CODE_YES)
		return translate((int)ch);
	switch (ch) {
	case '\r':
	case '\n': return HK_ENTER;
	case '\t': return HK_TAB;
	case 27: return escape();
	case 127:
	case 8: return HK_BACKSPACE;
	default: return (int)ch;
	}
}

void term_mouse_at(int *y, int *x)
{
	*y = mouse_y;
	*x = mouse_x;
}
