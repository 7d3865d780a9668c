#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define KIND_AT (ERR_MAX - 1)

__attribute__((format(printf, 3, 0)))
static void vset(char *err, enum err_kind kind, const char *fmt, va_list ap)
{
	vsnprintf(err, ERR_MAX - 1, fmt, ap);
	err[KIND_AT] = (char)kind;
}

void err_set(char *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vset(err, ERR_OTHER, fmt, ap);
	va_end(ap);
}

void err_setk(char *err, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vset(err, kind, fmt, ap);
	va_end(ap);
}

void err_prefix(char *err, const char *fmt, ...)
{
	char old[ERR_MAX];
	enum err_kind kind;
	size_t n, keep;
	va_list ap;

	if (!err)
		return;
	kind = err_kind(err);
	memcpy(old, err, ERR_MAX);
	old[ERR_MAX - 2] = '\0';
	va_start(ap, fmt);
	vset(err, kind, fmt, ap);
	va_end(ap);
	n = strlen(err);
	if (n + 2 < ERR_MAX - 1) {
		memcpy(err + n, ": ", 2);
		n += 2;
		keep = strnlen(old, ERR_MAX - 2 - n);
		memcpy(err + n, old, keep);
		err[n + keep] = '\0';
	}
}

void *err_oom(char *err, const char *what)
{
	err_setk(err, ERR_NOMEM, "%s: out of memory", what);
	return NULL;
}

enum err_kind err_kind(const char *err)
{
	unsigned char k;

	if (!err)
		return ERR_NONE;
	k = (unsigned char)err[KIND_AT];
	return k < ERR_KIND_COUNT ? (enum err_kind)k : ERR_OTHER;
}
