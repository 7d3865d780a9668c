/* Per-keystroke cost of live validation: the form's check of a 64 KiB
 * payload after one typed character, in a string in the middle of the
 * payload and in its last string, next to jansson parsing the same text
 * (the floor). Usage: validate [N]. Prints the size, then microseconds per
 * keystroke in the middle, at the end, and for jansson. Links the core and
 * the TUI models. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datadir.h"
#include "form.h"
#include "keys.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Type a character and erase it n times with the cursor at byte at of the
 * payload's one line; microseconds per keystroke. */
static double keystrokes(struct form *f, size_t at, int n)
{
	double t0;
	int i;

	f->payload.row = 0;
	f->payload.col = at;
	t0 = now_us();
	for (i = 0; i < n; i++) {
		form_type(f, "x", 1);
		form_key(f, HK_BACKSPACE);
	}
	return (now_us() - t0) / (2.0 * n);
}

/* Just after "item" in the first such string from byte from: typing
 * there keeps the payload valid, so the check reads all of it. */
static size_t in_string(const char *payload, size_t from)
{
	return (size_t)(strstr(payload + from, "\"item") - payload) + 5;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200, i;
	char err[512], *payload = malloc(70000), *text;
	struct catalog *cat = catalog_load(datadir_resolve(NULL), err);
	struct form f;
	size_t len = 0;
	double t0, middle, end, floor;
	json_error_t jerr;

	if (!cat || !payload) {
		fprintf(stderr, "validate: %s\n", cat ? "out of memory" : err);
		return 1;
	}
	len += (size_t)sprintf(payload, "{\"title\": \"$Title\", \"message\": \"$Event\", \"items\": [");
	for (i = 0; len < 64 * 1024 - 64; i++)
		len += (size_t)sprintf(payload + len, "%s{\"id\": %d, \"name\": \"item %d\"}", i ? ", " : "", i, i);
	len += (size_t)sprintf(payload + len, "]}");
	if (form_open(&f, cat, NULL, payload, err) < 0 || !f.verdict.ok) {
		fprintf(stderr, "validate: %s\n", err);
		return 1;
	}
	f.focus = FF_PAYLOAD;
	middle = keystrokes(&f, in_string(payload, len / 2), n);
	end = keystrokes(&f, in_string(payload, len - 40), n);
	text = editor_text(&f.payload);
	t0 = now_us();
	for (i = 0; i < 2 * n; i++)
		json_decref(json_loadb(text, strlen(text), 0, &jerr));
	floor = (now_us() - t0) / (2.0 * n);
	printf("%zu %.1f %.1f %.1f\n", strlen(text), middle, end, floor);
	free(text);
	free(payload);
	form_close(&f);
	catalog_free(cat);
	return 0;
}
