/* Pictures of activity in block characters, one cell per bucket: the
 * deliveries screen's 24-hour strip and the list's success spark line.
 * No curses: a cell is a character and a colour role, drawn by draw.c
 * (which shows the blocks in ASCII without a UTF-8 codeset). */
#ifndef HOOKMAN_SPARK_H
#define HOOKMAN_SPARK_H

#include "activity.h"
#include "term.h"

struct spark_cell {
	const char *glyph;     /* static: " " for an empty bucket, else ▁ … █ */
	enum color color;      /* C_OK all answered 2xx, C_BAD none did, C_WARN some */
};

/* A bucket of the 24-hour strip: its height is its volume next to the
 * busiest bucket (max), its colour how it went. */
struct spark_cell spark_volume(const struct activity_bucket *b, long long max);

/* A bucket of a spark line: its height is the share that succeeded. */
struct spark_cell spark_success(const struct activity_bucket *b);

/* The busiest of n buckets (ok + failed). */
long long spark_max(const struct activity_bucket *b, size_t n);

#endif
