#include "fuzz.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datadir.h"
#include "err.h"

const struct catalog *fuzz_catalog(void)
{
	static struct catalog *cat;
	char err[ERR_MAX];

	if (!cat) {
		const char *dir = getenv("HOOKMAN_DATADIR");

		cat = catalog_load(dir ? dir : FUZZ_DATADIR, err);
		if (!cat)
			fuzz_fail("cannot load the catalog: %s", err);
	}
	return cat;
}

char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		fuzz_fail("out of memory");
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("fuzz property broken: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}
