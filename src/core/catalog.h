/* The event catalog: which event types exist, their groups and titles.
 * Loaded from DATADIR/events.json; the sample event for each type lives in
 * DATADIR/samples/TYPE.json. */
#ifndef HOOKMAN_CATALOG_H
#define HOOKMAN_CATALOG_H

#include <jansson.h>
#include <stddef.h>

struct catalog_event {
	const char *id;      /* "audit.create" */
	const char *title;   /* "AUDIT EVENT: CREATE" */
	size_t group;        /* index into catalog_group() */
};

struct catalog_group {
	const char *name;    /* "Audit Events" */
	const char *shortname; /* "Audit", for tight list columns */
	int jira;            /* events of this group may use the jira format */
	size_t first, count; /* its events: catalog_event(first .. first+count-1) */
};

struct catalog;

/* Load DATADIR/events.json. Returns a catalog the caller frees with
 * catalog_free(), or NULL with err set (file missing, bad JSON, duplicate
 * or malformed ids). */
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

/* The sample event of a type (DATADIR/samples/TYPE.json, loaded once and
 * kept): a new reference the caller drops, or NULL with err set (unknown
 * type, unreadable file, no "data" object). */
json_t *catalog_sample(const struct catalog *cat, const char *id, char *err);

/* The data directory the catalog was loaded from (owned by the catalog). */
const char *catalog_datadir(const struct catalog *cat);

#endif
