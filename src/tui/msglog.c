#include "msglog.h"

#include <stdlib.h>
#include <string.h>

void msglog_init(struct msglog *l)
{
	memset(l, 0, sizeof *l);
}

void msglog_free(struct msglog *l)
{
	size_t i;

	for (i = 0; i < MSGLOG_MAX; i++)
		free(l->e[i].text);
	memset(l, 0, sizeof *l);
}

unsigned long msglog_add(struct msglog *l, long long at, enum color c, const char *text)
{
	struct msglog_entry *e = &l->e[l->head];

	free(e->text);
	e->text = strdup(text);
	if (!e->text)
		e->text = strdup("(out of memory keeping a message)");
	e->seq = ++l->seq;
	e->at = at;
	e->color = c;
	l->head = (l->head + 1) % MSGLOG_MAX;
	if (l->n < MSGLOG_MAX)
		l->n++;
	l->shown = 1;
	return e->seq;
}

const struct msglog_entry *msglog_get(const struct msglog *l, size_t i)
{
	if (i >= l->n)
		return NULL;
	return &l->e[(l->head + MSGLOG_MAX - 1 - i) % MSGLOG_MAX];
}

const struct msglog_entry *msglog_current(const struct msglog *l)
{
	return l->shown ? msglog_get(l, 0) : NULL;
}

void msglog_clear(struct msglog *l)
{
	l->shown = 0;
}
