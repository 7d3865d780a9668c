#include "event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "utf8.h"

json_t *event_sample(const struct catalog *cat, const char *type, char *err)
{
	return catalog_sample(cat, type, err);
}

int event_check_title(const char *title, char *err)
{
	size_t len = strlen(title), bad, i = 0, n;
	long count = utf8_check(title, len, &bad);
	unsigned cp;

	if (count < 0) {
		err_setk(err, ERR_INVALID, "title is not valid UTF-8 (bad byte at offset %zu)", bad);
		return -1;
	}
	if (count == 0 || count > EVENT_TITLE_MAX) {
		err_setk(err, ERR_INVALID, "title must be 1 to %d characters, not %ld", EVENT_TITLE_MAX, count);
		return -1;
	}
	while (i < len) {
		n = utf8_decode(title + i, len - i, &cp);
		if (utf8_is_control(cp)) {
			err_setk(err, ERR_INVALID, "title has a control character (U+%04X) at offset %zu", cp, i);
			return -1;
		}
		i += n;
	}
	return 0;
}

int event_init(struct event *ev, const struct catalog *cat, const char *type,
	       const char *title, json_t *data, char *err)
{
	const struct catalog_event *ce = catalog_find(cat, type);
	json_t *sample = NULL;
	const char *sev;
	time_t now = time(NULL);
	struct tm tm;

	memset(ev, 0, sizeof *ev);
	if (!ce) {
		/* The type comes from a --stdin line or the command line: quoted
		 * with its control characters escaped, as a response would be, so
		 * that it cannot drive the terminal the error is printed on. */
		char *safe = utf8_escape_controls(type);

		if (safe)
			err_setk(err, ERR_INVALID, "unknown event type \"%s\" (see 'hookman events' for the catalog)", safe);
		else
			err_oom(err, "event");
		free(safe);
		goto fail;
	}
	if (title && event_check_title(title, err) < 0)
		goto fail;
	if (data && !json_is_object(data)) {
		err_setk(err, ERR_INVALID, "event data must be a JSON object");
		goto fail;
	}
	sample = event_sample(cat, type, err);
	if (!sample)
		goto fail;
	if (!data)
		data = json_incref(json_object_get(sample, "data"));
	sev = json_string_value(json_object_get(data, "severity"));
	if (!sev)
		sev = json_string_value(json_object_get(sample, "severity"));
	if (randid_make(ev->uid, "evt", err) < 0)
		goto fail;
	gmtime_r(&now, &tm);
	strftime(ev->time, sizeof ev->time, "%Y-%m-%dT%H:%M:%SZ", &tm);
	ev->type = strdup(ce->id);
	ev->title = strdup(title ? title : ce->title);
	ev->severity = strdup(sev ? sev : "info");
	ev->data = data;
	ev->data_text = json_dumps(data, JSON_COMPACT);
	data = NULL;
	json_decref(sample);
	sample = NULL;
	if (!ev->type || !ev->title || !ev->severity || !ev->data_text) {
		err_oom(err, "event");
		event_clear(ev);
		return -1;
	}
	return 0;
fail:
	json_decref(data);
	json_decref(sample);
	return -1;
}

int event_parse_line(struct event *ev, const struct catalog *cat, const char *line, size_t len, char *err)
{
	json_error_t jerr;
	json_t *j = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr), *data, *title, *type;
	const char *key;
	json_t *v;
	int rc;

	if (!j) {
		/* jansson's text quotes the input near the error ("near '…'"). */
		char *safe = utf8_escape_controls(jerr.text);

		if (safe)
			err_setk(err, ERR_INVALID, "column %d: %s", jerr.column, safe);
		else
			err_oom(err, "event");
		free(safe);
		return -1;
	}
	type = json_object_get(j, "type");
	title = json_object_get(j, "title");
	data = json_object_get(j, "data");
	rc = -1;
	if (!json_is_object(j))
		err_setk(err, ERR_INVALID, "expected a JSON object {\"type\": …, \"title\": …, \"data\": {…}}");
	else if (!json_is_string(type))
		err_setk(err, ERR_INVALID, "\"type\" is missing or not a string");
	else if (title && !json_is_string(title))
		err_setk(err, ERR_INVALID, "\"title\" must be a string");
	else if (data && !json_is_object(data))
		err_setk(err, ERR_INVALID, "\"data\" must be a JSON object");
	else
		rc = 0;
	json_object_foreach(j, key, v) {
		if (rc == 0 && strcmp(key, "type") && strcmp(key, "title") && strcmp(key, "data")) {
			char *safe = utf8_escape_controls(key);

			if (safe)
				err_setk(err, ERR_INVALID, "unknown key \"%s\" (an event has type, title and data)", safe);
			else
				err_oom(err, "event");
			free(safe);
			rc = -1;
		}
	}
	if (rc == 0)
		rc = event_init(ev, cat, json_string_value(type), title ? json_string_value(title) : NULL,
				data ? json_incref(data) : NULL, err);
	json_decref(j);
	return rc;
}

void event_clear(struct event *ev)
{
	free(ev->type);
	free(ev->title);
	free(ev->severity);
	json_decref(ev->data);
	free(ev->data_text);
	memset(ev, 0, sizeof *ev);
}
