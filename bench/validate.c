/* Per-keystroke cost of live validation: the form's check of a 64 KiB
 * payload after one typed character, next to jansson parsing the same text
 * (the floor). Usage: validate [N]. Prints microseconds per keystroke for
 * both. Links the core and the TUI models. */
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

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200, i;
	char err[512], *payload = malloc(70000), *text;
	struct catalog *cat = catalog_load(datadir_resolve(NULL), err);
	struct form f;
	size_t len = 0;
	double t0, ours, floor;
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
	form_key(&f, HK_RIGHT);
	form_key(&f, HK_RIGHT);
	t0 = now_us();
	for (i = 0; i < n; i++) {
		form_type(&f, "x", 1);
		form_key(&f, HK_BACKSPACE);
	}
	ours = (now_us() - t0) / (2.0 * n);
	text = editor_text(&f.payload);
	t0 = now_us();
	for (i = 0; i < 2 * n; i++)
		json_decref(json_loadb(text, strlen(text), 0, &jerr));
	floor = (now_us() - t0) / (2.0 * n);
	printf("%zu %.1f %.1f\n", strlen(text), ours, floor);
	free(text);
	free(payload);
	form_close(&f);
	catalog_free(cat);
	return 0;
}
