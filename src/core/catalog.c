#include "catalog.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "sbuf.h"

struct catalog {
	json_t *root;  /* keeps every string the entries point to alive */
	char *datadir;
	struct catalog_event *events;
	size_t nevents;
	struct catalog_group *groups;
	char **group_ids;   /* owned copies the groups' ids point to */
	size_t ngroups, group_slots;
	json_t **samples;   /* loaded on first use, parallel to events */
};

static int valid_id(const char *id)
{
	size_t i;

	if (!*id)
		return 0;
	for (i = 0; id[i]; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9') ||
		      id[i] == '.' || id[i] == '_'))
			return 0;
	return 1;
}

/* Give group gi its id: the part of its events' ids before the first dot,
 * which must be the same for all of them, so that --events ID chooses
 * whole groups, as a group's row in the form does, never half of one. */
static int group_id(struct catalog *cat, size_t gi, const char *path, char *err)
{
	struct catalog_group *grp = &cat->groups[gi];
	const char *first = cat->events[grp->first].id, *id;
	size_t plen = strcspn(first, "."), i;

	for (i = 1; i < grp->count; i++) {
		id = cat->events[grp->first + i].id;
		if (strcspn(id, ".") != plen || strncmp(id, first, plen) != 0) {
			err_set(err, "%s: group \"%s\" holds \"%s\" and \"%s\"; the event ids of a group must start with the same word before the dot (--events takes that word for the group)",
				path, grp->name, first, id);
			return -1;
		}
	}
	if (plen == 3 && strncmp(first, "all", 3) == 0) {
		err_set(err, "%s: event id \"%s\" starts with \"all\", which --events reserves for every event; rename the event",
			path, first);
		return -1;
	}
	cat->group_ids[gi] = strndup(first, plen);
	if (!cat->group_ids[gi]) {
		err_oom(err, "catalog");
		return -1;
	}
	grp->id = cat->group_ids[gi];
	return 0;
}


/* The title as lists show it, in the case style of the group names: each
 * word capitalised, the rest lower case ("AUDIT EVENT: CREATE" → "Audit
 * Event: Create"). Kept in the event's JSON object, which the catalog owns. */
static int label_of(json_t *e, const char *title)
{
	char *label = strdup(title);
	size_t i;
	int start = 1;

	if (!label)
		return -1;
	for (i = 0; label[i]; i++) {
		unsigned char c = (unsigned char)label[i];

		if (c >= 'A' && c <= 'Z' && !start)
			label[i] = (char)(c - 'A' + 'a');
		else if (c >= 'a' && c <= 'z' && start)
			label[i] = (char)(c - 'a' + 'A');
		start = c == ' ' || c == ':' || c == '(' || c == '-' || c == '/';
	}
	i = json_object_set_new(e, "label", json_string(label)) == 0;
	free(label);
	return i ? 0 : -1;
}

static int load_group(struct catalog *cat, json_t *g, size_t gi, const char *path, char *err)
{
	json_t *evs = json_object_get(g, "events"), *e;
	struct catalog_group *grp = &cat->groups[gi];
	const char *name = json_string_value(json_object_get(g, "name"));
	const char *shortname = json_string_value(json_object_get(g, "short"));
	size_t i;

	if (!name || !json_is_array(evs) || json_array_size(evs) == 0) {
		err_set(err, "%s: group %zu needs a \"name\" and a non-empty \"events\" array", path, gi + 1);
		return -1;
	}
	grp->name = name;
	grp->shortname = shortname ? shortname : name;
	grp->jira = json_is_true(json_object_get(g, "jira"));
	grp->first = cat->nevents;
	grp->count = json_array_size(evs);
	json_array_foreach(evs, i, e) {
		const char *id = json_string_value(json_object_get(e, "id"));
		const char *title = json_string_value(json_object_get(e, "title"));

		if (!id || !title || !valid_id(id)) {
			err_set(err, "%s: group \"%s\", event %zu needs an \"id\" (a-z, 0-9, '.', '_') and a \"title\"",
				path, name, i + 1);
			return -1;
		}
		if (catalog_find(cat, id)) {
			err_set(err, "%s: event id \"%s\" appears twice", path, id);
			return -1;
		}
		if (label_of(e, title) < 0) {
			err_oom(err, "catalog");
			return -1;
		}
		cat->events[cat->nevents].id = id;
		cat->events[cat->nevents].title = title;
		cat->events[cat->nevents].label = json_string_value(json_object_get(e, "label"));
		cat->events[cat->nevents].group = gi;
		cat->nevents++;
	}
	return group_id(cat, gi, path, err);
}

struct catalog *catalog_load(const char *datadir, char *err)
{
	char path[4096];
	json_error_t jerr;
	struct catalog *cat;
	json_t *groups, *g;
	size_t i, total = 0;

	snprintf(path, sizeof path, "%s/events.json", datadir);
	cat = calloc(1, sizeof *cat);
	if (!cat)
		return err_oom(err, "catalog");
	cat->root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!cat->root) {
		if (jerr.line > 0)
			err_set(err, "cannot load the event catalog %s: line %d: %s", path, jerr.line, jerr.text);
		else
			err_set(err, "cannot load the event catalog: %s (set HOOKMAN_DATADIR or --datadir to the directory holding events.json)",
				jerr.text);
		goto fail;
	}
	groups = json_object_get(cat->root, "groups");
	if (!json_is_array(groups) || json_array_size(groups) == 0) {
		err_set(err, "%s: no \"groups\" array", path);
		goto fail;
	}
	json_array_foreach(groups, i, g)
		total += json_array_size(json_object_get(g, "events"));
	cat->datadir = strdup(datadir);
	cat->groups = calloc(json_array_size(groups), sizeof *cat->groups);
	cat->group_ids = calloc(json_array_size(groups), sizeof *cat->group_ids);
	cat->group_slots = cat->group_ids ? json_array_size(groups) : 0;
	cat->events = calloc(total ? total : 1, sizeof *cat->events);
	cat->samples = calloc(total ? total : 1, sizeof *cat->samples);
	if (!cat->datadir || !cat->groups || !cat->group_ids || !cat->events || !cat->samples) {
		err_oom(err, "catalog");
		goto fail;
	}
	json_array_foreach(groups, i, g) {
		if (load_group(cat, g, i, path, err) < 0)
			goto fail;
		cat->ngroups++;
	}
	return cat;
fail:
	catalog_free(cat);
	return NULL;
}

void catalog_free(struct catalog *cat)
{
	if (!cat)
		return;
	json_decref(cat->root);
	free(cat->datadir);
	for (size_t i = 0; cat->samples && i < cat->nevents; i++)
		json_decref(cat->samples[i]);
	free(cat->samples);
	free(cat->events);
	free(cat->groups);
	for (size_t i = 0; i < cat->group_slots; i++)
		free(cat->group_ids[i]);
	free(cat->group_ids);
	free(cat);
}

size_t catalog_count(const struct catalog *cat) { return cat->nevents; }
size_t catalog_group_count(const struct catalog *cat) { return cat->ngroups; }
const char *catalog_datadir(const struct catalog *cat) { return cat->datadir; }

const struct catalog_event *catalog_event(const struct catalog *cat, size_t i)
{
	return i < cat->nevents ? &cat->events[i] : NULL;
}

const struct catalog_group *catalog_group(const struct catalog *cat, size_t i)
{
	return i < cat->ngroups ? &cat->groups[i] : NULL;
}

long catalog_index(const struct catalog *cat, const char *id)
{
	size_t i;

	for (i = 0; i < cat->nevents; i++)
		if (strcmp(cat->events[i].id, id) == 0)
			return (long)i;
	return -1;
}

size_t catalog_select_group(const struct catalog *cat, const char *gid, char *chosen)
{
	size_t g, k, n = 0;

	for (g = 0; g < cat->ngroups; g++) {
		if (strcmp(cat->groups[g].id, gid) != 0)
			continue;
		for (k = 0; k < cat->groups[g].count; k++)
			chosen[cat->groups[g].first + k] = 1;
		n += cat->groups[g].count;
	}
	return n;
}

char *catalog_group_ids(const struct catalog *cat, const char *sep)
{
	struct sbuf b;
	size_t g, h;

	sbuf_init(&b);
	for (g = 0; g < cat->ngroups; g++) {
		/* Once per id, where it first appears. */
		for (h = 0; h < g && strcmp(cat->groups[h].id, cat->groups[g].id) != 0; h++)
			;
		if (h < g)
			continue;
		if (b.len)
			sbuf_append(&b, sep);
		sbuf_append(&b, cat->groups[g].id);
	}
	return sbuf_take(&b);
}

const struct catalog_event *catalog_find(const struct catalog *cat, const char *id)
{
	long i = catalog_index(cat, id);

	return i < 0 ? NULL : &cat->events[i];
}

json_t *catalog_sample(const struct catalog *cat, const char *id, char *err)
{
	char path[4096];
	json_error_t jerr;
	long i = catalog_index(cat, id);
	json_t *root;

	if (i < 0) {
		err_setk(err, ERR_INVALID, "unknown event type \"%s\"", id);
		return NULL;
	}
	if (cat->samples[i])
		return json_incref(cat->samples[i]);
	snprintf(path, sizeof path, "%s/samples/%s.json", cat->datadir, id);
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		err_set(err, "cannot load the sample event %s: %s", path, jerr.text);
		return NULL;
	}
	if (!json_is_object(json_object_get(root, "data"))) {
		err_set(err, "sample event %s has no \"data\" object", path);
		json_decref(root);
		return NULL;
	}
	cat->samples[i] = root;
	return json_incref(root);
}
