/* The fields an operator types: URL, custom header, name, event list, and
 * the masking applied when they are shown. Properties: an accepted URL is
 * http(s) and its masked form never holds its query or user info; an
 * accepted header normalises to one line with no CR or LF and is not a
 * framing header; masked output is always terminated. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "fuzz.h"
#include "header.h"
#include "mask.h"
#include "sbuf.h"
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
	char *s = fuzz_cstr(data, size), err[ERR_MAX], masked[64];
	struct webhook wh;

	check_url(s);
	check_header(s);
	(void)webhook_check_name(s, err);
	mask_secret(s, masked, sizeof masked);
	webhook_init(&wh);
	(void)webhook_set_events(&wh, s, fuzz_catalog(), err);
	webhook_clear(&wh);
	free(s);
	return 0;
}
