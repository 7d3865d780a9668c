#include "mask.h"

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

static int sensitive(const char *name)
{
	static const char *const words[] = { "auth", "token", "secret", "key", "password", "session",
					     "cookie", NULL };
	char low[128];
	size_t i;

	for (i = 0; name[i] && i + 1 < sizeof low; i++)
		low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a' : name[i]);
	low[i] = '\0';
	for (i = 0; words[i]; i++)
		if (strstr(low, words[i]))
			return 1;
	return 0;
}

void mask_header_value(const char *name, const char *value, char *out, size_t size)
{
	size_t n = strlen(value);

	if (!sensitive(name))
		snprintf(out, size, "%s", value);
	else if (n > 12)
		snprintf(out, size, "****%s", value + n - 4);
	else
		snprintf(out, size, "****");
}
