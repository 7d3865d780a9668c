/* Lines from a descriptor, read with read(2) so that the caller can tell
 * when no more input is waiting (fire --stdin commits its batch then, so
 * a slow stream such as tail -F is delivered as it comes). */
#ifndef HOOKMAN_LINEREADER_H
#define HOOKMAN_LINEREADER_H

#include <stddef.h>

enum {
	LINEREADER_TOO_LONG = -2,   /* a line longer than the limit; stop */
	LINEREADER_ERROR = -1,      /* read failed (errno) or out of memory */
	LINEREADER_END = 0,
	LINEREADER_LINE = 1,
	LINEREADER_WAIT = 2,        /* no complete line without waiting */
};

struct linereader {
	int fd;
	size_t limit;   /* longest line kept, in bytes */
	char *buf;
	size_t len, cap, pos;
	int eof;
};

/* Read lines of at most limit bytes from fd (not taken over). */
void linereader_init(struct linereader *r, int fd, size_t limit);

/* The next line, without its newline, in *line and *len (valid until the
 * next call); a last line without a newline counts. Unless may_block,
 * returns LINEREADER_WAIT rather than wait for input. */
int linereader_next(struct linereader *r, const char **line, size_t *len, int may_block);

void linereader_free(struct linereader *r);

#endif
