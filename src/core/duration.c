#include "duration.h"

#include <limits.h>
#include <string.h>

#include "err.h"
#include "webhook.h"

/* Every unit, longest first: the order duration_format picks in. */
static const struct unit {
	unsigned bit;
	const char *suffix;
	long long ms;
	const char *one, *many;
} units[] = {
	{ DURATION_D, "d", 24LL * 60 * 60 * 1000, "day", "days" },
	{ DURATION_H, "h", 60LL * 60 * 1000, "hour", "hours" },
	{ DURATION_M, "m", 60LL * 1000, "minute", "minutes" },
	{ DURATION_S, "s", 1000, "second", "seconds" },
	{ DURATION_MS, "ms", 1, "millisecond", "milliseconds" },
};
#define NUNITS (sizeof units / sizeof units[0])

/* Read the digits at the start of text[0..len) into *v. A number beyond
 * LLONG_MAX sets *huge (and *v stops growing) instead of overflowing, so
 * that it is refused as too large, never wrapped. Returns how many digits
 * there were. */
static size_t scan_digits(const char *text, size_t len, long long *v, int *huge)
{
	size_t i;

	*v = 0;
	*huge = 0;
	for (i = 0; i < len && text[i] >= '0' && text[i] <= '9'; i++) {
		int d = text[i] - '0';

		if (*huge || *v > (LLONG_MAX - d) / 10)
			*huge = 1;
		else
			*v = *v * 10 + d;
	}
	return i;
}

/* The unit of one DURATION_* bit. */
static const struct unit *unit_of(unsigned bit)
{
	size_t i;

	for (i = 0; i < NUNITS - 1 && units[i].bit != bit; i++)
		;
	return &units[i];
}

/* "ms, s, m or h": the units of a mask, shortest first, for messages. */
static void unit_list(struct sbuf *b, unsigned mask)
{
	size_t i, n = 0, total = 0;

	for (i = 0; i < NUNITS; i++)
		total += (mask & units[i].bit) != 0;
	for (i = NUNITS; i-- > 0;) {
		if (!(mask & units[i].bit))
			continue;
		if (n > 0)
			sbuf_append(b, n + 1 == total ? " or " : ", ");
		sbuf_append(b, units[i].suffix);
		n++;
	}
}

/* "7 days", "90 seconds": ms in words, in the longest unit that divides it. */
static void words(struct sbuf *b, long long ms)
{
	const struct unit *u = unit_of(DURATION_S);   /* "0 seconds" */
	size_t i;

	for (i = 0; ms != 0 && i < NUNITS; i++)
		if (ms % units[i].ms == 0) {
			u = &units[i];
			break;
		}
	sbuf_appendf(b, "%lld %s", ms / u->ms, ms / u->ms == 1 ? u->one : u->many);
}

int duration_parse(const char *text, size_t len, const struct duration_rule *rule, const char *what,
		   long long *ms, char *err)
{
	const struct unit *u = NULL;
	struct sbuf msg;
	size_t digits, i;
	long long v;
	int huge;

	digits = scan_digits(text, len, &v, &huge);
	sbuf_init(&msg);
	if (digits == 0) {
		sbuf_appendf(&msg, "%s is not a number; give a whole number and a unit (", what);
		unit_list(&msg, rule->units);
		sbuf_append(&msg, rule->bare_seconds ? "; seconds without one)" : ")");
		goto fail;
	}
	if (digits == len) {
		if (!rule->bare_seconds) {
			sbuf_appendf(&msg, "%s has no unit; add ", what);
			unit_list(&msg, rule->units);
			goto fail;
		}
		u = unit_of(DURATION_S);
	}
	for (i = 0; !u && i < NUNITS; i++)
		if ((rule->units & units[i].bit) && strlen(units[i].suffix) == len - digits &&
		    memcmp(units[i].suffix, text + digits, len - digits) == 0)
			u = &units[i];
	if (!u) {
		sbuf_appendf(&msg, "%s has an unknown unit; use ", what);
		unit_list(&msg, rule->units);
		goto fail;
	}
	/* v * u->ms could overflow: compare before multiplying. */
	if (huge || v > rule->max_ms / u->ms) {
		sbuf_appendf(&msg, "%s is longer than ", what);
		words(&msg, rule->max_ms);
		sbuf_append(&msg, "; the largest accepted is ");
		duration_format(&msg, rule->max_ms, rule->units);
		goto fail;
	}
	*ms = v * u->ms;
	sbuf_release(&msg);
	return 0;
fail:
	if (msg.failed)
		err_oom(err, what);
	else
		err_setk(err, ERR_INVALID, "%s", sbuf_text(&msg));
	sbuf_release(&msg);
	return -1;
}

int duration_format(struct sbuf *out, long long ms, unsigned mask)
{
	size_t i;

	for (i = 0; i < NUNITS; i++)
		if ((mask & units[i].bit) && ms % units[i].ms == 0)
			return sbuf_appendf(out, "%lld%s", ms / units[i].ms, units[i].suffix);
	return sbuf_appendf(out, "%lldms", ms);
}

int duration_check_timeout(long long seconds, char *err)
{
	if (seconds < TIMEOUT_MIN || seconds > TIMEOUT_MAX) {
		err_setk(err, ERR_INVALID, "timeout %lld s is out of range; choose %d to %d seconds", seconds, TIMEOUT_MIN,
			TIMEOUT_MAX);
		return -1;
	}
	return 0;
}

int duration_parse_timeout(const char *text, int *seconds, char *err)
{
	size_t len = strlen(text);
	long long v;
	int huge;

	if (len == 0) {
		err_setk(err, ERR_INVALID, "timeout is empty; choose %d to %d seconds", TIMEOUT_MIN, TIMEOUT_MAX);
		return -1;
	}
	if (scan_digits(text, len, &v, &huge) != len) {
		err_setk(err, ERR_INVALID, "timeout \"%s\" is not a whole number of seconds; choose %d to %d", text, TIMEOUT_MIN,
			TIMEOUT_MAX);
		return -1;
	}
	if (huge) {
		err_setk(err, ERR_INVALID, "timeout \"%s\" is out of range; choose %d to %d seconds", text, TIMEOUT_MIN,
			TIMEOUT_MAX);
		return -1;
	}
	if (duration_check_timeout(v, err) < 0)
		return -1;
	*seconds = (int)v;
	return 0;
}

int duration_span(struct sbuf *out, long long ms)
{
	long long s = ms > 0 ? ms / 1000 : 0;

	if (s < 60)
		return sbuf_appendf(out, "%llds", s);
	if (s < 3600)
		return sbuf_appendf(out, "%lldm%02llds", s / 60, s % 60);
	if (s < 86400)
		return sbuf_appendf(out, "%lldh%02lldm", s / 3600, s % 3600 / 60);
	return sbuf_appendf(out, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
}
