#include "mask.h"

#include "sbuf.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Append s[0..n) to out, never past size-1 bytes. */
static void put(char *out, size_t size, size_t *len, const char *s, size_t n)
{
	if (*len + 1 >= size)
		return;
	if (n > size - 1 - *len)
		n = size - 1 - *len;
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = '\0';
}

/* Length of the first n bytes of s cut back to a UTF-8 character boundary. */
static size_t utf8_prefix(const char *s, size_t avail, size_t n)
{
	if (n > avail)
		n = avail;
	while (n > 0 && n < avail && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

void mask_url(const char *url, char *out, size_t size)
{
	const char *p = strstr(url, "://"), *auth, *end, *at, *seg, *q;
	size_t len = 0, n;

	if (size == 0)
		return;
	out[0] = '\0';
	if (!p) {
		put(out, size, &len, "****", 4);
		return;
	}
	auth = p + 3;
	put(out, size, &len, url, (size_t)(auth - url));
	end = auth + strcspn(auth, "/?#");
	at = memchr(auth, '@', (size_t)(end - auth));
	if (at) {
		put(out, size, &len, "****@", 5);
		auth = at + 1;
	}
	put(out, size, &len, auth, (size_t)(end - auth));
	q = end + strcspn(end, "?#");
	if (*end == '/' && end + 1 < q) {
		/* The first segment names the API ("services", "webhookb2"); what
		 * follows is the token, so only its first two characters show. */
		seg = end + 1;
		n = strcspn(seg, "/?#");
		put(out, size, &len, "/", 1);
		if (seg + n < q) {
			put(out, size, &len, seg, n);
			put(out, size, &len, "/", 1);
			seg += n + 1;
			n = strcspn(seg, "/?#");
		}
		put(out, size, &len, seg, utf8_prefix(seg, n, 2));
		if (n > 2)
			put(out, size, &len, "…", strlen("…"));
		if (seg + n < q)
			put(out, size, &len, "/****", 5);
	} else if (*end == '/') {
		put(out, size, &len, "/", 1);
	}
	if (*q)
		put(out, size, &len, "?****", 5);
}

void mask_secret(const char *secret, char *out, size_t size)
{
	size_t n;

	if (size == 0)
		return;
	out[0] = '\0';
	if (!secret || !*secret)
		return;
	n = strlen(secret);
	snprintf(out, size, "whsec_****%s", n > 10 + 6 ? secret + n - 4 : "");
}

/* Whether name contains word, ignoring ASCII case; word is lower case. */
static int contains_word(const char *name, size_t len, const char *word)
{
	size_t w = strlen(word), i, k;

	for (i = 0; i + w <= len; i++) {
		for (k = 0; k < w; k++) {
			char c = name[i + k];

			if ((c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) != word[k])
				break;
		}
		if (k == w)
			return 1;
	}
	return 0;
}

static int sensitive_n(const char *name, size_t len)
{
	static const char *const words[] = { "auth", "token", "secret", "key", "password", "session",
					     "cookie", "signature", NULL };
	size_t i;

	for (i = 0; words[i]; i++)
		if (contains_word(name, len, words[i]))
			return 1;
	return 0;
}

int mask_header_sensitive(const char *name)
{
	return sensitive_n(name, strlen(name));
}

/* Characters, not bytes: a short value in multi-byte characters is short. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int masked_value(struct sbuf *out, int sensitive, const char *value)
{
	size_t n = strlen(value), start = n;
	int chars = 0;

	if (!sensitive)
		return sbuf_append(out, value);
	/* Four characters shown of twelve or fewer would give most of it. */
	if (utf8_chars(value) <= 12)
		return sbuf_append(out, "****");
	/* The last four characters, not bytes: never half a UTF-8 sequence. */
	while (start > 0 && chars < 4)
		if (((unsigned char)value[--start] & 0xC0) != 0x80)
			chars++;
	sbuf_append(out, "****");
	return sbuf_append(out, value + start);
}

int mask_header_value(struct sbuf *out, const char *name, const char *value)
{
	return masked_value(out, mask_header_sensitive(name), value);
}

int mask_header_line(struct sbuf *out, const char *line)
{
	const char *colon = strchr(line, ':'), *v;

	if (!colon)
		return sbuf_append(out, line);
	sbuf_appendn(out, line, (size_t)(colon - line));
	sbuf_append(out, ": ");
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		;
	return masked_value(out, sensitive_n(line, (size_t)(colon - line)), v);
}

int mask_store_uri(struct sbuf *out, const char *uri)
{
	const char *auth = strstr(uri, "://"), *end, *at, *colon, *p;

	if (!auth)
		return sbuf_append(out, uri);
	auth += 3;
	/* libpq ends the user information at its last '@' before the path:
	 * a '?' or '#' in a password is the password's. */
	end = auth + strcspn(auth, "/");
	for (at = NULL, p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon) {
		sbuf_appendn(out, uri, (size_t)(colon + 1 - uri));
		sbuf_append(out, "****");
		p = at;
	} else {
		p = uri;
	}
	/* password= among the parameters: everything up to the next &. */
	while (*p) {
		const char *q = strstr(p, "password=");

		if (!q || (q > uri && q[-1] != '?' && q[-1] != '&')) {
			if (!q) {
				sbuf_append(out, p);
				break;
			}
			sbuf_appendn(out, p, (size_t)(q + 9 - p));
			p = q + 9;
			continue;
		}
		sbuf_appendn(out, p, (size_t)(q + 9 - p));
		sbuf_append(out, "****");
		p = q + 9 + strcspn(q + 9, "&");
	}
	return out->failed ? -1 : 0;
}
