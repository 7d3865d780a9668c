#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

size_t utf8_decode(const char *s, size_t len, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n, i;
	unsigned v;

	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if ((u[0] & 0xE0) == 0xC0) {
		n = 2;
		v = u[0] & 0x1F;
	} else if ((u[0] & 0xF0) == 0xE0) {
		n = 3;
		v = u[0] & 0x0F;
	} else {
		n = 4;
		v = u[0] & 0x07;
	}
	if (n > len)
		n = len;
	for (i = 1; i < n; i++)
		v = (v << 6) | (u[i] & 0x3F);
	*cp = v;
	return n;
}

long utf8_check(const char *s, size_t len, size_t *bad_offset)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n, k;
	long count = 0;
	unsigned cp, min;

	while (i < len) {
		if (u[i] < 0x80) {
			i++;
			count++;
			continue;
		}
		if (u[i] >= 0xC2 && u[i] <= 0xDF) {
			n = 2;
			min = 0x80;
		} else if ((u[i] & 0xF0) == 0xE0) {
			n = 3;
			min = 0x800;
		} else if (u[i] >= 0xF0 && u[i] <= 0xF4) {
			n = 4;
			min = 0x10000;
		} else {
			goto bad;
		}
		if (i + n > len)
			goto bad;
		for (k = 1; k < n; k++)
			if ((u[i + k] & 0xC0) != 0x80)
				goto bad;
		utf8_decode(s + i, n, &cp);
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			goto bad;
		i += n;
		count++;
	}
	return count;
bad:
	if (bad_offset)
		*bad_offset = i;
	return -1;
}

int utf8_is_control(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp < 0xA0);
}

int utf8_is_bidi_control(unsigned cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

int utf8_is_invisible(unsigned cp)
{
	return (cp >= 0x200B && cp <= 0x200C) || (cp >= 0x2060 && cp <= 0x2064) || cp == 0xFEFF || cp == 0x00AD ||
	       (cp >= 0xE0000 && cp <= 0xE007F) || cp == 0x2028 || cp == 0x2029;
}

size_t utf8_cp_width(unsigned cp)
{
	int cw = wcwidth((wchar_t)cp);

	return cw < 0 ? 1 : (size_t)cw;
}

size_t utf8_width(const char *s)
{
	size_t len = 0, i = 0, n, w = 0;
	unsigned cp;

	while (s[len])
		len++;
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		w += utf8_cp_width(cp);
		i += n;
	}
	return w;
}

char *utf8_escape_controls(const char *s)
{
	size_t len = strlen(s), i = 0, o = 0, n;
	char *out = malloc(len * 6 + 1);   /* at worst every byte becomes "\u009B" */
	unsigned cp;

	if (!out)
		return NULL;
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp == '\n' || cp == '\t' || !utf8_is_control(cp)) {
			memcpy(out + o, s + i, n);
			o += n;
		} else if (cp == '\r' && s[i + 1] == '\n') {
			/* HTTP's line ends: the newline alone reads the same. */
		} else if (cp < 0x80)
			o += (size_t)sprintf(out + o, "\\x%02X", cp);
		else
			o += (size_t)sprintf(out + o, "\\u%04X", cp);
		i += n;
	}
	out[o] = '\0';
	return out;
}
