/* The `fire --stdin` line parser, fed line by line as the command splits
 * its input. Property: an accepted line gives an event of a catalog type
 * with an id, a time and an object for data; a refused one says why. */
#include <string.h>

#include "err.h"
#include "event.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct catalog *cat = fuzz_catalog();
	const char *p = (const char *)data, *end = p + size;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		struct event ev;
		char err[ERR_MAX];

		while (len > 0 && p[len - 1] == '\r')
			len--;
		err[0] = '\0';
		if (len > 0) {
			if (event_parse_line(&ev, cat, p, len, err) == 0) {
				if (!catalog_find(cat, ev.type) || !ev.uid[0] || !ev.time[0] ||
				    !json_is_object(ev.data) || !ev.title || !ev.severity)
					fuzz_fail("an accepted line gave an incomplete event");
				event_clear(&ev);
			} else if (!err[0]) {
				fuzz_fail("a refused line has no reason");
			}
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}
