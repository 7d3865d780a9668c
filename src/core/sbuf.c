#include "sbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sbuf_init(struct sbuf *b)
{
	memset(b, 0, sizeof *b);
}

/* Room for n more bytes and the NUL. */
static int reserve(struct sbuf *b, size_t n)
{
	size_t need, cap;
	char *grown;

	if (b->failed)
		return -1;
	if (n > SIZE_MAX - b->len - 1)
		goto fail;
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	grown = realloc(b->text, cap);
	if (!grown)
		goto fail;
	b->text = grown;
	b->cap = cap;
	return 0;
fail:
	b->failed = 1;
	return -1;
}

int sbuf_appendn(struct sbuf *b, const char *s, size_t n)
{
	if (reserve(b, n) < 0)
		return -1;
	memcpy(b->text + b->len, s, n);
	b->len += n;
	b->text[b->len] = '\0';
	return 0;
}

int sbuf_append(struct sbuf *b, const char *s)
{
	return sbuf_appendn(b, s, strlen(s));
}

int sbuf_vappendf(struct sbuf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	if (b->failed)
		return -1;
	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0 || reserve(b, (size_t)n) < 0) {
		va_end(again);
		b->failed = 1;
		return -1;
	}
	vsnprintf(b->text + b->len, (size_t)n + 1, fmt, again);
	va_end(again);
	b->len += (size_t)n;
	return 0;
}

int sbuf_appendf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = sbuf_vappendf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *sbuf_text(const struct sbuf *b)
{
	return b->text ? b->text : "";
}

char *sbuf_take(struct sbuf *b)
{
	char *t = b->failed ? NULL : b->text ? b->text : strdup("");

	if (b->failed)
		free(b->text);
	sbuf_init(b);
	return t;
}

void sbuf_release(struct sbuf *b)
{
	free(b->text);
	sbuf_init(b);
}

int sbuf_append_json_text(struct sbuf *b, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" :
				  c == '\r' ? "\\r" : c == '\t' ? "\\t" : c == '\b' ? "\\b" :
				  c == '\f' ? "\\f" : NULL;

		if (!esc && c >= 0x20)
			continue;
		sbuf_appendn(b, run, (size_t)(s - run));
		if (esc)
			sbuf_append(b, esc);
		else
			sbuf_appendf(b, "\\u%04X", c);
		run = s + 1;
	}
	return sbuf_appendn(b, run, (size_t)(s - run));
}
