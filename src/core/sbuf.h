/* A growable string: text is assembled by appending, never by printing
 * into a fixed array at an offset. One allocation policy (doubling from 64
 * bytes, every size checked for overflow). A failure (out of memory) is
 * sticky: later appends do nothing and return -1, and sbuf_take gives NULL,
 * so a caller may append freely and check once at the end. */
#ifndef HOOKMAN_SBUF_H
#define HOOKMAN_SBUF_H

#include <stdarg.h>
#include <stddef.h>

struct sbuf {
	char *text;                /* NUL-terminated, NULL until something is appended */
	size_t len, cap;
	int failed;
};

void sbuf_init(struct sbuf *b);

/* Append; 0, or -1 when memory ran out (now or before). */
int sbuf_append(struct sbuf *b, const char *s);
int sbuf_appendn(struct sbuf *b, const char *s, size_t n);
int sbuf_appendf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int sbuf_vappendf(struct sbuf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Append s (NUL-terminated UTF-8) escaped for the inside of a JSON string,
 * byte for byte as jansson writes it: \" \\ \b \f \n \r \t, other
 * control characters as \u00XX, everything else as it is. 0 or -1. */
int sbuf_append_json_text(struct sbuf *b, const char *s);

/* The text so far ("" when empty). Valid until the next append. */
const char *sbuf_text(const struct sbuf *b);

/* The text, handed over (caller frees; "" when empty), or NULL when an
 * append failed. b is empty again either way. */
char *sbuf_take(struct sbuf *b);

/* Free the text; b is empty again. */
void sbuf_release(struct sbuf *b);

#endif
