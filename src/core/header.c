#include "header.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "utf8.h"

static const char *const reserved[] = {
	"Content-Type", "Content-Length", "Host", "Transfer-Encoding", "Connection",
	"webhook-id", "webhook-timestamp", "webhook-signature", NULL
};

static int is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* How much of a bad line an error message may quote: the name, up to the
 * colon or the first blank or break, never the value (which may be a
 * token), at most 40 bytes. */
static int quotable(const char *line)
{
	size_t n = strcspn(line, ": \t\r\n");

	return (int)(n > 40 ? 40 : n);
}

int header_parse(const char *line, char **name, char **value, char *err)
{
	size_t len = strlen(line), nlen, i, bad, n, at;
	const char *colon = strchr(line, ':'), *v, *vend;
	const char *const *r;

	if (len > HEADER_MAX) {
		err_setk(err, ERR_INVALID, "header is %zu bytes; the limit is %d", len, HEADER_MAX);
		return -1;
	}
	if (strpbrk(line, "\r\n")) {
		err_setk(err, ERR_INVALID, "header \"%.*s\" contains a line break (CR or LF), which would inject headers",
			quotable(line), line);
		return -1;
	}
	if (!colon) {
		err_setk(err, ERR_INVALID, "header \"%.*s…\" has no colon; write it as 'Name: value'", quotable(line), line);
		return -1;
	}
	nlen = (size_t)(colon - line);
	while (nlen > 0 && (line[nlen - 1] == ' ' || line[nlen - 1] == '\t'))
		nlen--;
	if (nlen == 0) {
		err_setk(err, ERR_INVALID, "a header has an empty name (it starts with a colon); write it as 'Name: value'");
		return -1;
	}
	for (i = 0; i < nlen; i++)
		if (!is_tchar(line[i])) {
			err_setk(err, ERR_INVALID, "header name \"%.*s\" has an invalid character at position %zu (letters, digits and !#$%%&'*+-.^_`|~ only)",
				(int)nlen, line, i + 1);
			return -1;
		}
	for (r = reserved; *r; r++)
		if (strlen(*r) == nlen && strncasecmp(line, *r, nlen) == 0) {
			err_setk(err, ERR_INVALID, "header %s is set by hookman itself and cannot be overridden", *r);
			return -1;
		}
	v = colon + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	vend = line + len;
	while (vend > v && (vend[-1] == ' ' || vend[-1] == '\t'))
		vend--;
	if (utf8_check(v, (size_t)(vend - v), &bad) < 0) {
		err_setk(err, ERR_INVALID, "header %.*s: value is not valid UTF-8 (bad byte at offset %zu)", (int)nlen, line, bad);
		return -1;
	}
	/* By code point (the value is valid UTF-8 now), counting characters
	 * for the position. C1 controls go with C0: NEL (U+0085) ends a line
	 * for some parsers, and so do U+2028 and U+2029, so any of them could
	 * make the value read as a second header somewhere downstream. */
	for (i = 0, at = 1; v + i < vend; i += n, at++) {
		unsigned cp;

		n = utf8_decode(v + i, (size_t)(vend - v) - i, &cp);
		if (cp == '\t' || (!utf8_is_control(cp) && cp != 0x2028 && cp != 0x2029))
			continue;
		if (cp < 0x80)
			err_setk(err, ERR_INVALID, "header %.*s: value has a control character (0x%02X) at position %zu",
				(int)nlen, line, cp, at);
		else if (cp < 0x100)
			err_setk(err, ERR_INVALID, "header %.*s: value has a control character (U+%04X) at position %zu%s",
				(int)nlen, line, cp, at,
				cp == 0x85 ? " (NEL); some parsers read it as a line break, so remove it" : "");
		else
			err_setk(err, ERR_INVALID, "header %.*s: value has a %s (U+%04X) at position %zu; some parsers read it as a line break, so remove it",
				(int)nlen, line, cp == 0x2028 ? "line separator" : "paragraph separator", cp, at);
		return -1;
	}
	if (name && !(*name = strndup(line, nlen))) {
		err_oom(err, "header");
		return -1;
	}
	if (value && !(*value = strndup(v, (size_t)(vend - v)))) {
		if (name) {
			free(*name);
			*name = NULL;
		}
		err_oom(err, "header");
		return -1;
	}
	return 0;
}

char *header_normalize(const char *line, char *err)
{
	char *name, *value, *out;
	size_t n;

	if (header_parse(line, &name, &value, err) < 0)
		return NULL;
	n = strlen(name) + strlen(value) + 3;
	out = malloc(n);
	if (out)
		snprintf(out, n, "%s: %s", name, value);
	else
		err_oom(err, "header");
	free(name);
	free(value);
	return out;
}
