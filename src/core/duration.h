/* Lengths of time an operator types: "30m", "5d", "100ms" (hookmand's
 * --schedule, --disable-after and --keep, redeliver --since, prune
 * --older-than), and a webhook's
 * timeout in whole seconds. One parser for each, overflow-checked: a value
 * too large for the caller's limit, or for any integer, is refused with a
 * sentence that gives the largest accepted value, never wrapped. */
#ifndef HOOKMAN_DURATION_H
#define HOOKMAN_DURATION_H

#include <stddef.h>

#include "sbuf.h"

/* The units a duration may carry, as a mask. */
#define DURATION_MS 0x01u    /* milliseconds: "100ms" */
#define DURATION_S 0x02u     /* seconds: "90s" */
#define DURATION_M 0x04u     /* minutes: "30m" */
#define DURATION_H 0x08u     /* hours: "12h" */
#define DURATION_D 0x10u     /* days: "5d" */

/* What one option accepts. */
struct duration_rule {
	unsigned units;        /* the suffixes accepted (DURATION_*), at least one */
	int bare_seconds;      /* a number without a unit is seconds; else a unit is required */
	long long max_ms;      /* the longest accepted (0 or more) */
};

/* Parse text[0..len) — digits (no sign, no blanks) and one unit of
 * rule->units, or digits alone when rule->bare_seconds — into *ms, which
 * is then 0..rule->max_ms. On failure returns -1 and err says, naming the
 * value as `what` ("item 2", "\"90x\"", "the age"): "WHAT is not a
 * number; …", "WHAT has no unit; …", "WHAT has an unknown unit; use …"
 * or "WHAT is longer than 7 days; the largest accepted is 168h". */
int duration_parse(const char *text, size_t len, const struct duration_rule *rule, const char *what,
		   long long *ms, char *err);

/* Append ms (0 or more) in the largest unit of `units` that divides it
 * exactly ("5d", "90s", "1500ms"), so that duration_parse with
 * the same units reads the same value back. A value that no unit of
 * `units` divides is written in milliseconds. Returns 0, or -1 when the
 * buffer ran out of memory (sticky, see sbuf.h). */
int duration_format(struct sbuf *out, long long ms, unsigned units);

/* Append ms (0 or more) as a person reads a span of time, in its two
 * largest units, rounded down: "45s", "4m12s", "2h05m", "3d04h". For
 * countdowns and ages ("retry in 4m12s", "up 2h05m"), not for values to
 * be parsed again. 0, or -1 when the buffer ran out of memory. */
int duration_span(struct sbuf *out, long long ms);

/* A webhook's timeout: whole seconds, TIMEOUT_MIN..TIMEOUT_MAX
 * (webhook.h). duration_check_timeout checks a number (an import's JSON,
 * a stored value); duration_parse_timeout reads text (digits only) and
 * stores it in *seconds. 0, or -1 with err: "timeout is empty; …",
 * "timeout \"5x\" is not a whole number of seconds; choose 1 to 60" or
 * "timeout 61 s is out of range; choose 1 to 60 seconds" (a number beyond
 * any integer is quoted as typed). */
int duration_check_timeout(long long seconds, char *err);
int duration_parse_timeout(const char *text, int *seconds, char *err);

#endif
