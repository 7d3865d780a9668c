#include "linereader.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIRST_CAP 4096

void linereader_init(struct linereader *r, int fd, size_t limit)
{
	memset(r, 0, sizeof *r);
	r->fd = fd;
	r->limit = limit;
}

/* Room for more input: move the unread part to the front, or grow (up to
 * the limit plus one byte, so that a line of exactly limit bytes still
 * finds its newline). */
static int make_room(struct linereader *r)
{
	size_t cap;
	char *grown;

	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
	}
	if (r->len < r->cap)
		return 0;
	if (r->cap > r->limit)
		return LINEREADER_TOO_LONG;
	cap = r->cap ? r->cap * 2 : FIRST_CAP;
	if (cap > r->limit + 1)
		cap = r->limit + 1;
	grown = realloc(r->buf, cap);
	if (!grown)
		return LINEREADER_ERROR;
	r->buf = grown;
	r->cap = cap;
	return 0;
}

int linereader_next(struct linereader *r, const char **line, size_t *len, int may_block)
{
	char *nl;
	int rc;

	for (;;) {
		nl = r->pos < r->len ? memchr(r->buf + r->pos, '\n', r->len - r->pos) : NULL;
		if (nl || (r->eof && r->pos < r->len)) {
			*line = r->buf + r->pos;
			/* At most limit bytes: the buffer never holds more than
			 * limit + 1 and a full one without a newline is refused. */
			*len = nl ? (size_t)(nl - *line) : r->len - r->pos;
			r->pos += *len + (nl ? 1 : 0);
			return LINEREADER_LINE;
		}
		if (r->eof)
			return LINEREADER_END;
		if ((rc = make_room(r)) < 0)
			return rc;
		{
			struct pollfd p = { r->fd, POLLIN, 0 };
			ssize_t got;

			if (!may_block && poll(&p, 1, 0) == 0)
				return LINEREADER_WAIT;
			got = read(r->fd, r->buf + r->len, r->cap - r->len);
			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0)
				return LINEREADER_ERROR;
			if (got == 0)
				r->eof = 1;
			r->len += (size_t)got;
		}
	}
}

void linereader_free(struct linereader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->len = r->cap = r->pos = 0;
}
