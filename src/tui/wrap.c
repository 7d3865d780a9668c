#include "wrap.h"

#include <string.h>

#include "utf8.h"

/* Where the lines a line wraps into start: under its text after a gap
 * of two spaces ("  F2, n     add a webhook" continues under "add"), else
 * under its own indent; never past half the width. */
static size_t hanging(const char *s, size_t len, size_t width)
{
	size_t lead = strspn(s, " "), i;

	for (i = lead; i + 1 < len; i++)
		if (s[i] == ' ' && s[i + 1] == ' ') {
			i += strspn(s + i, " ");
			return i < len && i <= width / 2 ? i : lead <= width / 2 ? lead : 0;
		}
	return lead <= width / 2 ? lead : 0;
}

/* One line of the source (no '\n'), wrapped: broken at the last space
 * that fits (a space at the edge counts, and the space broken at goes),
 * or inside a word longer than the width; continued under its text. */
static size_t wrap_one(const char *s, size_t len, size_t width, struct sbuf *out)
{
	size_t lines = 0, indent = hanging(s, len, width), room = width;

	do {
		size_t i = 0, cells = 0, brk = 0, end, next;
		unsigned cp;

		while (i < len) {
			size_t n = utf8_decode(s + i, len - i, &cp), w = utf8_cp_width(cp);

			if (cp == ' ')
				brk = i;
			if (cells + w > room && i > 0)
				break;
			cells += w;
			i += n ? n : 1;
		}
		if (i < len && brk > 0) {
			end = brk;
			next = brk + 1;
		} else {
			end = next = i;
		}
		if (lines++)
			sbuf_appendf(out, "\n%*s", (int)indent, "");
		sbuf_appendn(out, s, end);
		s += next;
		len -= next;
		room = width - indent;
	} while (len > 0);
	return lines;
}

size_t wrap_text(const char *text, int width, struct sbuf *out)
{
	size_t lines = 0, w = width < 1 ? 1 : (size_t)width;
	const char *p = text;

	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (lines)
			sbuf_append(out, "\n");
		lines += wrap_one(p, len, w, out);
		if (!nl)
			return lines;
		p = nl + 1;
	}
}

const char *wrap_line(const char *text, size_t n, size_t *len)
{
	const char *p = text, *nl;

	while (n > 0) {
		nl = strchr(p, '\n');
		if (!nl)
			return NULL;
		p = nl + 1;
		n--;
	}
	nl = strchr(p, '\n');
	*len = nl ? (size_t)(nl - p) : strlen(p);
	return p;
}
