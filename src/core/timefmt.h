/* Times as hookman shows them: UTC, to the second, one format for every
 * front end (the CLI adds " UTC" after it). */
#ifndef HOOKMAN_TIMEFMT_H
#define HOOKMAN_TIMEFMT_H

#include <stddef.h>

enum timefmt {
	TIMEFMT_FULL,     /* "2026-11-30 01:23:45" */
	TIMEFMT_DAY,      /* "11-30 01:23:45", for tight columns */
	TIMEFMT_CLOCK     /* "01:23:45" */
};

/* ms since the epoch in that form into out (at least 20 bytes to hold any
 * of them); "-" for 0 or a time the system cannot represent. */
void timefmt_utc(long long ms, enum timefmt how, char *out, size_t size);

/* A --since value, "2026-11-28", "2026-11-28T10:00:00Z" (UTC) or an age
 * before now_ms ("2h", "30m", "1d"), into unix ms. 0, or -1 with err
 * saying what is wrong with the value (ERR_INVALID). */
int timefmt_parse_since(const char *s, long long now_ms, long long *ms, char *err);

#endif
