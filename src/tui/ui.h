/* What every screen shares and nothing else: the store, the catalog, the
 * terminal's size, the sender's state for the header, the messages, and
 * the one dialog (with the screen that asked, which gets the answer).
 * Screens hold a pointer to it; the loop (app.c) owns it. No curses. */
#ifndef HOOKMAN_UI_H
#define HOOKMAN_UI_H

#include "audit.h"
#include "catalog.h"
#include "dialog.h"
#include "err.h"
#include "keys.h"
#include "msglog.h"
#include "store.h"
#include "term.h"

struct screen;

struct ui {
	const char *dir, *run, *hookmand;  /* the store, hookmand's run directory (storedir.h) */
	struct store *st;
	struct catalog *cat;
	int autostart;                  /* start hookmand when it is needed */
	int rows, cols;                 /* the terminal, set by the loop */
	int busy;                       /* a screen waits for an answer: tick often */
	int quit;                       /* a screen asked to leave the interface */
	char sender[160];               /* the header's right side */
	enum color sender_color;
	char store_error[ERR_MAX];      /* the sender's, from the last wake */
	struct msglog log;
	struct dialog dlg;
	struct screen *asker;           /* the screen the open dialog answers to */
	long long data_version;         /* of the store when last read */
	long long focus_id;             /* a webhook just saved: the list selects it (0: none) */
	struct audit audit;             /* the record of this session's changes (ui_open) */
	long long opened_at;            /* ms, for the logout's "after 12m05s" */
	size_t audit_woken;             /* audit.queued when the sender was last woken for it */
};

/* An empty ui (tests fill in the store and catalog), and its release. */
void ui_init(struct ui *ui);
void ui_free(struct ui *ui);

/* The interface's start: the catalog from datadir, the store in dir
 * with the audit record attached (through "tui") and the login recorded,
 * and hookmand running for it (started from hookmand_path unless
 * HOOKMAN_AUTOSTART=0; a failure to start or to record the login is
 * said, not fatal). 0, or -1 with err when the catalog or the store
 * cannot be opened. ui_close records the logout and releases it all. */
int ui_open(struct ui *ui, const char *dir, const char *run, const char *datadir, const char *hookmand_path, char *err);
void ui_close(struct ui *ui);

/* Milliseconds since the epoch. */
long long ui_now_ms(void);

/* Say something on the message line (wrapped, never cut) and keep it in
 * the message log. */
void ui_say(struct ui *ui, enum color c, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Open a dialog whose answer goes to asker's answer(tag, value). */
void ui_ask(struct ui *ui, struct screen *asker, enum dialog_kind kind, int tag, const char *title,
	    const char *text);

/* A text view (Esc closes; search with /), answering nobody. */
void ui_show(struct ui *ui, const char *title, const char *text);

/* The help view: every key of every context, first's at the top. */
void ui_help(struct ui *ui, enum context first);

/* The message log view: the last MSGLOG_MAX messages, newest first. */
void ui_messages(struct ui *ui);

/* Tell hookmand to look at the queue. Returns its STORE ERROR (valid
 * until the next call), or NULL when it has none or did not answer. */
const char *ui_wake(struct ui *ui);

/* Wake the sender when audit events were queued since the last time
 * (a change, the login), so that they go out now. */
void ui_wake_for_audit(struct ui *ui);

/* Make sure hookmand runs (unless autostart is off: then only check).
 * 0, or -1 with err saying what to do. */
int ui_sender_ready(struct ui *ui, char *err);

/* Ask hookmand for its state and set the header's sender text. */
void ui_refresh_sender(struct ui *ui);

#endif
