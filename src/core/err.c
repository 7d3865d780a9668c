#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void err_set(char *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err, ERR_MAX, fmt, ap);
	va_end(ap);
}

void err_prefix(char *err, const char *fmt, ...)
{
	char old[ERR_MAX];
	size_t n;
	va_list ap;

	if (!err)
		return;
	memcpy(old, err, ERR_MAX);
	old[ERR_MAX - 1] = '\0';
	va_start(ap, fmt);
	vsnprintf(err, ERR_MAX, fmt, ap);
	va_end(ap);
	n = strlen(err);
	if (n + 2 < ERR_MAX) {
		memcpy(err + n, ": ", 2);
		n += 2;
		memcpy(err + n, old, strnlen(old, ERR_MAX - n - 1));
		err[n + strnlen(old, ERR_MAX - n - 1)] = '\0';
	}
}

void *err_oom(char *err, const char *what)
{
	err_set(err, "%s: out of memory", what);
	return NULL;
}
