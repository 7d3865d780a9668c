#include "rate.h"

#include <string.h>

#include "duration.h"
#include "err.h"

#define EXAMPLES "e.g. 10/s, 100/m, 5/10s or none"

/* The period after the slash: a unit alone ("s": one second) or a
 * duration ("10s", "15m"). */
static int parse_period(const char *text, const char *p, long long *ms, char *err)
{
	static const struct duration_rule rule = { DURATION_S | DURATION_M | DURATION_H, 0, RATE_MS_MAX };
	if (strcmp(p, "s") == 0 || strcmp(p, "m") == 0 || strcmp(p, "h") == 0) {
		*ms = *p == 's' ? 1000 : *p == 'm' ? 60000 : 3600000;
		return 0;
	}
	if (!*p) {
		err_setk(err, ERR_INVALID, "rate \"%s\" has no period after the '/'; " EXAMPLES, text);
		return -1;
	}
	if (duration_parse(p, strlen(p), &rule, "the period", ms, err) < 0) {
		char why[ERR_MAX];

		memcpy(why, err, ERR_MAX);
		why[ERR_MAX - 2] = '\0';
		err_setk(err, ERR_INVALID, "rate \"%s\": %s; " EXAMPLES, text, why);
		return -1;
	}
	if (*ms < RATE_MS_MIN) {
		err_setk(err, ERR_INVALID, "rate \"%s\": the period is shorter than 1 second; " EXAMPLES, text);
		return -1;
	}
	return 0;
}

int rate_parse(const char *text, int *n, long long *ms, char *err)
{
	const char *slash = strchr(text, '/'), *p;
	long long v = 0, period;

	if (strcmp(text, "none") == 0 || strcmp(text, "off") == 0) {
		*n = 0;
		*ms = 0;
		return 0;
	}
	if (!*text) {
		err_setk(err, ERR_INVALID, "rate is empty; " EXAMPLES);
		return -1;
	}
	if (!slash) {
		err_setk(err, ERR_INVALID, "rate \"%s\" has no '/'; write requests per period, " EXAMPLES, text);
		return -1;
	}
	for (p = text; p < slash; p++) {
		if (*p < '0' || *p > '9') {
			err_setk(err, ERR_INVALID, "rate \"%s\": \"%.*s\" is not a whole number of requests; " EXAMPLES,
				 text, (int)(slash - text), text);
			return -1;
		}
		if (v <= RATE_N_MAX)
			v = v * 10 + (*p - '0');
	}
	if (slash == text || v < 1 || v > RATE_N_MAX) {
		err_setk(err, ERR_INVALID, "rate \"%s\": the number of requests must be 1 to %d; " EXAMPLES,
			 text, RATE_N_MAX);
		return -1;
	}
	if (parse_period(text, slash + 1, &period, err) < 0)
		return -1;
	*n = (int)v;
	*ms = period;
	return 0;
}

int rate_check(long long n, long long ms, char *err)
{
	if (n == 0 && ms == 0)
		return 0;
	if (n < 1 || n > RATE_N_MAX || ms < RATE_MS_MIN || ms > RATE_MS_MAX) {
		err_setk(err, ERR_INVALID, "rate %lld per %lld ms is out of range; 1 to %d requests per 1 s to 24 h, " EXAMPLES,
			 n, ms, RATE_N_MAX);
		return -1;
	}
	return 0;
}

int rate_format(struct sbuf *out, int n, long long ms)
{
	if (n == 0)
		return sbuf_append(out, "none");
	sbuf_appendf(out, "%d/", n);
	if (ms == 1000 || ms == 60000 || ms == 3600000)
		return sbuf_append(out, ms == 1000 ? "s" : ms == 60000 ? "m" : "h");
	return duration_format(out, ms, DURATION_S | DURATION_M | DURATION_H);
}

void rate_bucket_start(struct rate_bucket *b, int n, long long ms, long long now)
{
	b->n = n;
	b->ms = ms;
	b->level = ms;
	b->at = now;
}

void rate_bucket_set(struct rate_bucket *b, int n, long long ms, long long now)
{
	long long tokens = rate_bucket_tokens(b, now);

	b->n = n;
	b->ms = ms;
	b->level = tokens * ms;
	b->at = now;
}

long long rate_bucket_tokens(struct rate_bucket *b, long long now)
{
	long long elapsed = now - b->at;

	if (elapsed > 0) {
		/* One period more than fills it: no product can overflow. */
		if (elapsed > b->ms)
			elapsed = b->ms;
		b->level += elapsed * b->n;
		if (b->level > b->ms)
			b->level = b->ms;
		b->at = now;
	}
	return b->level / b->ms;
}

void rate_bucket_take(struct rate_bucket *b, long long count)
{
	b->level -= count * b->ms;
	if (b->level < 0)
		b->level = 0;
}

long long rate_bucket_next(const struct rate_bucket *b)
{
	long long missing = b->ms - b->level;

	if (missing <= 0)
		return b->at;
	return b->at + (missing + b->n - 1) / b->n;
}

int rate_bucket_full(struct rate_bucket *b, long long now)
{
	rate_bucket_tokens(b, now);
	return b->level >= b->ms;
}
