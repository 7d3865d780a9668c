/* The interface's messages: the one on the message line now, and the
 * last MSGLOG_MAX with their times for the message log (m). No curses. */
#ifndef HOOKMAN_MSGLOG_H
#define HOOKMAN_MSGLOG_H

#include <stddef.h>

#include "term.h"

#define MSGLOG_MAX 200

struct msglog_entry {
	unsigned long seq;     /* which message this is: 1, 2, … */
	long long at;          /* ms since the epoch */
	enum color color;
	char *text;            /* owned */
};

struct msglog {
	struct msglog_entry e[MSGLOG_MAX];   /* a ring: head is the next slot */
	size_t n, head;
	unsigned long seq;     /* of the newest */
	int shown;             /* the newest is on the message line */
};

void msglog_init(struct msglog *l);
void msglog_free(struct msglog *l);

/* Keep text (copied; out of memory: a short notice instead) as the
 * newest message and show it on the message line. Returns its seq. */
unsigned long msglog_add(struct msglog *l, long long at, enum color c, const char *text);

/* The i-th newest message (0: the newest), or NULL. */
const struct msglog_entry *msglog_get(const struct msglog *l, size_t i);

/* The message on the message line, or NULL when it was cleared. */
const struct msglog_entry *msglog_current(const struct msglog *l);

/* Take the message off the message line (it stays in the log). */
void msglog_clear(struct msglog *l);

#endif
