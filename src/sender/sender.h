/* The delivery loop: claims due deliveries, runs them on one libcurl multi
 * handle, records the outcomes in batches, answers the control socket, and
 * sleeps until the next due delivery or a wake. */
#ifndef HOOKMAND_SENDER_H
#define HOOKMAND_SENDER_H

#include <stddef.h>

#include "http.h"
#include "queue.h"
#include "store.h"

struct sender_config {
	const char *store_dir;     /* as the log names it: the directory, or the URI masked */
	const char *run_dir;       /* the control socket's (storedir_run_dir) */
	size_t max_total;          /* requests in flight overall (64) */
	size_t max_per_webhook;    /* requests in flight per webhook (8) */
	struct queue_policy policy;
	long grace_ms;             /* how long in-flight requests may finish at stop */
	struct http_options http;  /* timeout override, --deny-private */
	long long keep_ms;         /* prune deliveries finished longer ago, daily (prune.h); 0: never */
	const char *metrics_file;  /* rewritten every 15 s (metrics.h); NULL: none */
};

struct sender;

/* A sender on an open store (not taken over). signal_fd is a descriptor
 * that becomes readable when a signal arrived (the caller's self-pipe).
 * NULL with err on failure (socket, libcurl, a metrics file that cannot
 * be written: it is written once here). */
struct sender *sender_new(const struct sender_config *cfg, struct store *st, int signal_fd, char *err);

/* Run until SIGTERM/SIGINT or a "stop" request, then let in-flight
 * requests finish for up to grace_ms and put the rest back to pending.
 * Returns 0, or -1 with err when the store failed for good. */
int sender_run(struct sender *s, char *err);

/* Tell the loop a signal arrived: 'T' stop, 'H' reopen the log. */
void sender_signal(struct sender *s, char sig);

void sender_free(struct sender *s);

#endif
