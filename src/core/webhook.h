/* A webhook and the rules its fields obey. */
#ifndef HOOKMAN_WEBHOOK_H
#define HOOKMAN_WEBHOOK_H

#include <jansson.h>
#include <stddef.h>

#include "catalog.h"
#include "err.h"
#include "format.h"
#include "retry.h"

#define NAME_MAX_CHARS 100
#define URL_MAX 2048
#define TIMEOUT_MIN 1
#define TIMEOUT_MAX 60
#define TIMEOUT_DEFAULT 10

struct webhook {
	long long id;          /* store row id, 0 until saved */
	long long version;     /* version the values were loaded at, 0 when new */
	char *name;
	char *url;
	char **events;         /* catalog ids, in catalog order, no duplicates */
	size_t nevents;
	enum format format;
	char *payload;         /* template text, as the operator wrote it */
	char *secret;          /* "whsec_…" or NULL */
	char **headers;        /* "Name: value" lines */
	size_t nheaders;
	int enabled;
	int verify_tls;
	int timeout;           /* seconds */
	long long created_at;  /* unix ms, set by the store */
	long long updated_at;
	char *disabled_reason; /* why the sender disabled it, or NULL */
	int rate_n;            /* at most rate_n requests per rate_ms; 0: no limit */
	long long rate_ms;
	long long retry_ms[RETRY_OWN_STEPS]; /* its own retry delays (retry.h) */
	size_t nretry;         /* 0: the global schedule */
	long long coalesce_ms; /* repeats within this window are one delivery (coalesce.h); 0: none */
	char *secret_previous; /* the secret before the last rotation, still signing; or NULL */
	long long secret_previous_until; /* unix ms when secret_previous stops; 0 when none */
	char *refs;            /* where url, secret, headers come from (credref.h), JSON; or NULL */
};

enum webhook_field {
	WF_NAME, WF_URL, WF_EVENTS, WF_FORMAT, WF_PAYLOAD, WF_SECRET, WF_HEADERS, WF_TIMEOUT,
	WF_RATE, WF_RETRY, WF_COALESCE,
	WF_COUNT
};

struct webhook_problem {
	enum webhook_field field;
	char msg[ERR_MAX];
};

/* Defaults: enabled, TLS verified, 10 s timeout, default format, all
 * pointers NULL. */
void webhook_init(struct webhook *wh);

/* Free every field and reset to webhook_init's state. */
void webhook_clear(struct webhook *wh);

/* Deep copy src into dst (which must be cleared or fresh). 0 or -1+err. */
int webhook_copy(struct webhook *dst, const struct webhook *src, char *err);

/* Field names as shown to operators ("name", "url", …). */
const char *webhook_field_name(enum webhook_field f);

/* Per-field rules; each returns 0 or -1 with err naming what is wrong. */
int webhook_check_name(const char *name, char *err);
int webhook_check_url(const char *url, char *err);
int webhook_check_events(char *const *events, size_t n, const struct catalog *cat, char *err);
int webhook_check_format(enum format f, char *const *events, size_t n,
			 const struct catalog *cat, char *err);
int webhook_check_payload(const char *payload, char *err);

/* Check every field. Fills up to max problems (in field order) and returns
 * how many fields are wrong; 0 means valid. */
size_t webhook_validate(const struct webhook *wh, const struct catalog *cat,
			struct webhook_problem *probs, size_t max);

/* webhook_validate reduced to the first problem: 0, or -1 with err set to
 * "FIELD: what is wrong". */
int webhook_check(const struct webhook *wh, const struct catalog *cat, char *err);

/* Replace wh's events with a comma-separated list whose items are event
 * ids ("audit.create"), group ids ("audit": every event of the groups with
 * that id, see catalog_group) or "all". An unknown item is refused by name,
 * with the group ids listed, and wh is left unchanged. The result is in
 * catalog order, without duplicates. */
int webhook_set_events(struct webhook *wh, const char *csv, const struct catalog *cat, char *err);

/* Add one custom header line (validated and normalised). */
int webhook_add_header(struct webhook *wh, const char *line, char *err);

/* The webhook as a JSON object. With reveal, URL and secret are in the
 * clear; otherwise masked ("secret" then holds the mask). A rate and an
 * own retry schedule are there only when set, as text the options read
 * ("rate": "5/s", "retry_schedule": "10s,1m,10m"). New reference, NULL
 * when out of memory. */
json_t *webhook_to_json(const struct webhook *wh, int reveal);

/* Read the fields of an exported webhook object into wh (initialised by
 * the caller). Missing optional fields keep their defaults (no rate, the
 * global schedule: an export older than them imports as before); type
 * errors, and a rate or retry schedule that does not read, are reported
 * by field, and a key no export writes by its name (a misspelt key would
 * otherwise be dropped unseen). Does not run the rules: call
 * webhook_check. */
int webhook_from_json(struct webhook *wh, const json_t *j, char *err);

/* The host of a URL (after the scheme and any user info, up to the port
 * or the path; an IPv6 literal with its brackets): a pointer into url,
 * its length in *len. */
const char *webhook_url_host(const char *url, size_t *len);

/* Short summary of the events for a list column: "High Sev +2", "all (18)",
 * and a group partly chosen with how much of it: "Detection 1/2". */
void webhook_events_summary(const struct webhook *wh, const struct catalog *cat,
			    char *out, size_t size);

#endif
