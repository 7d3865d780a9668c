/* The event catalog: which event types exist, their groups and titles.
 * Loaded from DATADIR/events.json; the sample event for each type lives in
 * DATADIR/samples/TYPE.json. */
#ifndef HOOKMAN_CATALOG_H
#define HOOKMAN_CATALOG_H

#include <jansson.h>
#include <stddef.h>

struct catalog_event {
	const char *id;      /* "audit.create" */
	const char *title;   /* "AUDIT EVENT: CREATE": what $Title becomes */
	const char *label;   /* "Audit Event: Create": in lists and pickers, in
			      * the case style of the group names */
	size_t group;        /* index into catalog_group() */
};

struct catalog_group {
	const char *id;      /* "audit": the part of its events' ids before the
			      * first dot, which --events takes for all of
			      * them. Several groups may share one (the three
			      * processing groups are "processing"). */
	const char *name;    /* "Audit Events" */
	const char *shortname; /* "Audit", for tight list columns */
	int jira;            /* events of this group may use the jira format */
	size_t first, count; /* its events: catalog_event(first .. first+count-1) */
};

struct catalog;

/* Load DATADIR/events.json. Returns a catalog the caller frees with
 * catalog_free(), or NULL with err set (file missing, bad JSON, duplicate
 * or malformed ids, a group whose event ids do not share the part before
 * the dot, an id whose part before the dot is "all", which --events
 * keeps for every event). */
struct catalog *catalog_load(const char *datadir, char *err);
void catalog_free(struct catalog *cat);

size_t catalog_count(const struct catalog *cat);
const struct catalog_event *catalog_event(const struct catalog *cat, size_t i);
size_t catalog_group_count(const struct catalog *cat);
const struct catalog_group *catalog_group(const struct catalog *cat, size_t i);

/* The event with this id, or NULL. Pointers stay valid until catalog_free. */
const struct catalog_event *catalog_find(const struct catalog *cat, const char *id);

/* Index of id in catalog order, or -1. */
long catalog_index(const struct catalog *cat, const char *id);

/* Set chosen[i] to 1 for every event i of the groups whose id is gid
 * (chosen holds catalog_count bytes; other entries are left alone).
 * Returns how many events those groups hold: 0 when no group has that id. */
size_t catalog_select_group(const struct catalog *cat, const char *gid, char *chosen);

/* The distinct group ids in catalog order, joined by sep ("alarm, event,
 * processing, …"). A new string the caller frees, or NULL when memory ran
 * out. */
char *catalog_group_ids(const struct catalog *cat, const char *sep);

/* The sample event of a type (DATADIR/samples/TYPE.json, loaded once and
 * kept): a new reference the caller drops, or NULL with err set (unknown
 * type, unreadable file, no "data" object). */
json_t *catalog_sample(const struct catalog *cat, const char *id, char *err);

/* The data directory the catalog was loaded from (owned by the catalog). */
const char *catalog_datadir(const struct catalog *cat);

#endif
