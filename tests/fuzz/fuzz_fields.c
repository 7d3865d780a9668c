/* The fields an operator types: URL, custom header, name, event list, and
 * the masking applied when they are shown. Properties: an accepted URL is
 * http(s) and its masked form never holds its query or user info; an
 * accepted header normalises to one line with no CR or LF and is not a
 * framing header, and its value holds no control character but tab and
 * no U+2028 or U+2029 (line breaks to some parsers); an accepted name
 * holds no control and no bidirectional formatting character; an
 * accepted event list is known ids, in catalog order, without duplicates;
 * masked output is always terminated. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "fuzz.h"
#include "header.h"
#include "mask.h"
#include "sbuf.h"
#include "utf8.h"
#include "webhook.h"

static void check_url(const char *s)
{
	char err[ERR_MAX], masked[256];
	const char *q;

	mask_url(s, masked, sizeof masked);
	if (strlen(masked) >= sizeof masked)
		fuzz_fail("masked URL not terminated");
	if (webhook_check_url(s, err) < 0)
		return;
	/* Schemes are case-insensitive (RFC 3986, 3.1). */
	if (strncasecmp(s, "http://", 7) && strncasecmp(s, "https://", 8))
		fuzz_fail("URL \"%s\" accepted with another scheme", s);
	q = strchr(s, '?');
	if (q && q[1] && strlen(q) > 5 && strstr(masked, q))
		fuzz_fail("the query of \"%s\" shows in its mask \"%s\"", s, masked);
}

/* What a valid UTF-8 string s holds that none of the accepted fields
 * may: 1 for a control (tab allowed), 2 for a line or paragraph separator,
 * 3 for a bidirectional formatting character, 0 for none of them. */
static int forbidden(const char *s)
{
	size_t len = strlen(s), i, n;
	unsigned cp;

	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp != '\t' && utf8_is_control(cp))
			return 1;
		if (cp == 0x2028 || cp == 0x2029)
			return 2;
		if (utf8_is_bidi_control(cp))
			return 3;
	}
	return 0;
}

static void check_name(const char *s)
{
	char err[ERR_MAX];
	int f;

	if (webhook_check_name(s, err) < 0)
		return;
	f = forbidden(s);
	if (f == 1 || f == 3 || strchr(s, '\t'))
		fuzz_fail("name \"%s\" accepted with a %s character", s, f == 3 ? "bidirectional" : "control");
}

static void check_events(const char *s)
{
	const struct catalog *cat = fuzz_catalog();
	char err[ERR_MAX];
	struct webhook wh;
	long prev = -1, idx;
	size_t i;

	webhook_init(&wh);
	if (webhook_set_events(&wh, s, cat, err) == 0) {
		if (wh.nevents == 0)
			fuzz_fail("event list \"%s\" accepted with no events", s);
		for (i = 0; i < wh.nevents; i++) {
			idx = catalog_index(cat, wh.events[i]);
			if (idx <= prev)
				fuzz_fail("event list \"%s\" gave \"%s\" unknown, twice or out of order", s,
					  wh.events[i]);
			prev = idx;
		}
	}
	webhook_clear(&wh);
}

static void check_header(const char *s)
{
	char err[ERR_MAX], *norm, *name, *value;

	norm = header_normalize(s, err);
	if (!norm)
		return;
	if (strpbrk(norm, "\r\n"))
		fuzz_fail("header \"%s\" normalised with a line break", s);
	if (header_parse(norm, &name, &value, err) < 0)
		fuzz_fail("normalised header \"%s\" refused: %s", norm, err);
	if (!strcasecmp(name, "Content-Length") || !strcasecmp(name, "Host") ||
	    !strcasecmp(name, "Transfer-Encoding"))
		fuzz_fail("framing header \"%s\" accepted", name);
	if (forbidden(value) == 1 || forbidden(value) == 2)
		fuzz_fail("header \"%s\" accepted with a control character or line separator in its value", name);
	{
		struct sbuf shown;

		sbuf_init(&shown);
		mask_header_value(&shown, name, value);
		if (mask_header_sensitive(name) && strlen(value) > 12 && strstr(sbuf_text(&shown), value))
			fuzz_fail("the credential of header \"%s\" shown in full", name);
		sbuf_release(&shown);
	}
	free(name);
	free(value);
	free(norm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), masked[64];

	check_url(s);
	check_header(s);
	check_name(s);
	mask_secret(s, masked, sizeof masked);
	check_events(s);
	free(s);
	return 0;
}
