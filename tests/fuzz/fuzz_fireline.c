/* `fire --stdin`: the line reader over a pipe, then the line parser on
 * each line, as the command does. Properties: the lines (each without a
 * newline) and their newlines give back the input exactly, a line over
 * the limit stops the reader; an accepted line gives an event of a catalog
 * type with an id, a time and an object for data; a refused one says why. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "event.h"
#include "fuzz.h"
#include "linereader.h"

#define LIMIT 512            /* small, so that long lines are reached */
#define PIPE_SAFE 60000      /* what a pipe takes without a reader */

static void parse(const struct catalog *cat, const char *p, size_t len)
{
	struct event ev;
	char err[ERR_MAX];

	while (len > 0 && p[len - 1] == '\r')
		len--;
	if (len == 0)
		return;
	err[0] = '\0';
	if (event_parse_line(&ev, cat, p, len, err) == 0) {
		if (!catalog_find(cat, ev.type) || !ev.uid[0] || !ev.time[0] || !json_is_object(ev.data) ||
		    !ev.title || !ev.severity)
			fuzz_fail("an accepted line gave an incomplete event");
		event_clear(&ev);
	} else if (!err[0]) {
		fuzz_fail("a refused line has no reason");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct catalog *cat = fuzz_catalog();
	struct linereader r;
	const char *line;
	char *back;
	size_t len, used = 0, step = 0;
	int fds[2], got;

	if (size > PIPE_SAFE)
		size = PIPE_SAFE;
	if (pipe(fds) < 0)
		fuzz_fail("pipe");
	if (size && write(fds[1], data, size) != (ssize_t)size)
		fuzz_fail("write to the pipe");
	close(fds[1]);
	back = malloc(size + 2);
	if (!back)
		fuzz_fail("out of memory");
	linereader_init(&r, fds[0], LIMIT);
	/* Alternate waiting and not, as fire --stdin does. */
	while ((got = linereader_next(&r, &line, &len, (int)(step++ & 1))) != LINEREADER_END) {
		if (got == LINEREADER_WAIT)
			continue;
		if (got == LINEREADER_TOO_LONG)
			break;
		if (got != LINEREADER_LINE)
			fuzz_fail("reader failed: %d", got);
		if (len > LIMIT || memchr(line, '\n', len))
			fuzz_fail("a line of %zu bytes, or with a newline", len);
		if (used + len + 1 > size + 1)
			fuzz_fail("more lines than input");
		memcpy(back + used, line, len);
		used += len;
		back[used++] = '\n';
		parse(cat, line, len);
	}
	if (got == LINEREADER_END) {
		/* The last line may lack its newline; the reader adds none. */
		if (size && data[size - 1] != '\n')
			used--;
		if (used != size || (size && memcmp(back, data, size)))
			fuzz_fail("the lines do not give back the input (%zu of %zu bytes)", used, size);
	} else if (used > size || memcmp(back, data, used)) {
		fuzz_fail("the lines before a long one are not the input's start");
	}
	linereader_free(&r);
	close(fds[0]);
	free(back);
	return 0;
}
