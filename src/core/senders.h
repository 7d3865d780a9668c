/* The senders of a shared store (issue 15): on PostgreSQL any number of
 * hookmand, on any number of hosts, deliver from one queue. Each has a
 * row it beats every SENDERS_BEAT_MS; the deliveries it claims are its
 * own until their lease runs out (SENDERS_LEASE_MS after the last beat),
 * and then any sender puts them back to pending: a sender that died
 * loses nothing, and the ones that live go on. On SQLite a store has one
 * sender at a time (hookmand's lock), which recovers what was in flight
 * when it starts (queue_recover): there these calls do nothing and list
 * nobody. Each returns 0, or -1 with err and its kind (store.h). */
#ifndef HOOKMAN_SENDERS_H
#define HOOKMAN_SENDERS_H

#include <stddef.h>

#include "randid.h"
#include "store.h"

#define SENDERS_BEAT_MS 3000
#define SENDERS_LEASE_MS 15000   /* five beats missed: the sender is gone */

/* This sender. */
struct senders_me {
	char id[RANDID_MAX];        /* "snd_…" */
	char host[256];
	long pid;
	long long started_at;
};

/* Name this sender, make it the store's claimant (the deliveries the
 * queue claims on st are its own) and add its row. */
int senders_start(struct store *st, struct senders_me *me, char *err);

/* The beat: the row's heartbeat and counts, the leases of the claims
 * this sender holds renewed (held: a JSON array of their ids), and every
 * delivery whose lease ran out (a dead sender's, or one this sender
 * claimed without hearing of it) back to pending, their number in
 * *taken. One short transaction. Leases are measured by the server's
 * clock. */
int senders_beat(struct store *st, const struct senders_me *me, const char *held, long long inflight,
		 long long last_minute, long long *taken, char *err);

/* A clean stop: the row says when (its claims were released already). */
int senders_stop(struct store *st, const struct senders_me *me, char *err);

/* One sender as status shows it. */
struct senders_row {
	char *id, *host;
	long long pid, started_at, heartbeat_at, inflight, last_minute, stopped_at; /* stopped_at 0: running */
	int gone;                   /* no beat for SENDERS_LEASE_MS and no stop: it died */
};

/* Every sender that beat in the last day, the running ones first, newest
 * first; the caller frees with senders_list_free. None on SQLite. */
int senders_list(struct store *st, long long now, struct senders_row **rows, size_t *n, char *err);
void senders_list_free(struct senders_row *rows, size_t n);

#endif
