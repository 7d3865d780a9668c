/* A line diff for people: two texts compared line by line and written as
 * a unified diff (the --- / +++ / @@ hunks diff -u and git print), so that
 * an operator sees what a change to a webhook's payload does to a body. */
#ifndef HOOKMAN_TEXTDIFF_H
#define HOOKMAN_TEXTDIFF_H

#include <stddef.h>

#include "sbuf.h"

/* How many lines the diff took out of a and put in for b. */
struct textdiff_stats {
	size_t removed, added;
};

/* Compare a with b line by line (a final newline or none makes no line of
 * its own) and append to out a unified diff: "--- name_a", "+++ name_b",
 * then hunks "@@ -l,n +l,n @@" with context unchanged lines around each
 * change. Nothing is appended when the lines are equal. The lines in
 * between the common start and end are matched by a longest common
 * subsequence; past TEXTDIFF_CELLS pairs of lines (two bodies of
 * thousands of changed lines) that middle is shown as removed whole and
 * added whole, which is true, only not minimal. *stats (may be NULL)
 * receives the counts. 0, or -1 when memory runs out (out is then
 * failed, as sbuf says). */
#define TEXTDIFF_CELLS (4 * 1024 * 1024)
int textdiff_unified(const char *a, const char *b, const char *name_a, const char *name_b, int context,
		     struct sbuf *out, struct textdiff_stats *stats);

/* Two JSON bodies compared field by field: both pretty-printed (indent 2,
 * keys in their order) and diffed with textdiff_unified. When that shows
 * no difference but the texts differ (spacing, 1.50 against 1.5) or one
 * is not JSON, the texts themselves are diffed, so a difference is never
 * hidden. Same return. */
int textdiff_json(const char *a, const char *b, const char *name_a, const char *name_b, int context,
		  struct sbuf *out, struct textdiff_stats *stats);

#endif
