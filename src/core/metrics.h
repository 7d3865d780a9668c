/* The store's state as Prometheus metrics, in the text exposition format
 * (version 0.0.4): what `hookman metrics` prints and what hookmand
 * --metrics-file writes for node_exporter's textfile collector. Every
 * family is read from the store when asked, never kept in a process, so
 * the numbers survive a SIGKILL of hookmand and any process may ask.
 *
 * The families (all prefixed hookman_, test sends left out of each):
 *   deliveries{webhook,state}            gauge, every state of every webhook
 *   queue_depth                          gauge, pending and failed
 *   oldest_pending_age_seconds           gauge, 0 when nothing waits
 *   recent_attempts{webhook,class}       gauge, attempts of the last
 *                                        METRICS_WINDOW_MS by status class
 *   recent_attempt_duration_seconds      histogram over the same window
 *   webhooks{state}                      gauge: enabled, disabled, failing, held
 *   senders                              gauge, 1 when hookmand answers
 *   store_bytes                          gauge, the database file
 * Attempts are counted over a window rather than as running totals
 * because retention deletes old attempts: a total read from the store
 * would fall at each prune, which Prometheus takes for a restart. */
#ifndef HOOKMAN_METRICS_H
#define HOOKMAN_METRICS_H

#include "sbuf.h"
#include "store.h"

#define METRICS_WINDOW_MS (5 * 60 * 1000LL)
#define METRICS_WINDOW_TEXT "5 minutes"   /* the same, in the HELP lines */

/* The histogram's upper bounds in ms, +Inf aside (.005 s to 10 s). */
#define METRICS_BUCKETS 11
extern const long long metrics_bucket_ms[METRICS_BUCKETS];

/* Durations observed: per bucket, not cumulative (the last one, index
 * METRICS_BUCKETS, is above every bound), their count and sum. */
struct metrics_histogram {
	long long bucket[METRICS_BUCKETS + 1];
	long long count, sum_ms;
};

/* The bucket a duration of ms falls in: the first bound it does not
 * exceed, METRICS_BUCKETS when it exceeds them all. */
int metrics_bucket_of(long long ms);

/* Add n observations totalling sum_ms to bucket i (as the store's query
 * gives them, grouped by bucket). */
void metrics_histogram_add(struct metrics_histogram *h, int i, long long n, long long sum_ms);

/* Append the histogram's _bucket lines (cumulative, le in seconds, +Inf
 * last), _sum (seconds) and _count for the family name. 0, or -1 when
 * memory ran out. */
int metrics_histogram_append(struct sbuf *b, const char *name, const struct metrics_histogram *h);

/* Append s as the inside of a label value: backslash, double quote and
 * line feed escaped (\\ \" \n), everything else as it is. 0 or -1. */
int metrics_append_label(struct sbuf *b, const char *s);

/* Append the whole exposition, read in one snapshot of the store, with
 * HELP and TYPE lines; senders is the value of hookman_senders (whether
 * a hookmand serves this store: the caller knows, the store does not);
 * now_ms is the time ages and the window are measured from. 0, or -1
 * with err (the store's kinds, ERR_NOMEM); out may hold part of the text
 * then. */
int metrics_expose(struct store *st, int senders, long long now_ms, struct sbuf *out, char *err);

#endif
