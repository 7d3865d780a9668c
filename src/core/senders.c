#include "senders.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"

/* This sender's row, as it starts or when it went missing. */
static int insert_row(struct store *st, const struct senders_me *me, long long now, char *err)
{
	struct db_stmt *s = store_sql(st, "INSERT INTO senders(id, host, pid, started_at, heartbeat_at) "
				      "VALUES (?1, ?2, ?3, ?4, ?5)", err);

	if (s) {
		db_bind_text(s, 1, me->id);
		db_bind_text(s, 2, me->host);
		db_bind_int64(s, 3, me->pid);
		db_bind_int64(s, 4, me->started_at);
		db_bind_int64(s, 5, now);
	}
	return store_run(st, s, "cannot register this sender", err);
}

int senders_start(struct store *st, struct senders_me *me, char *err)
{
	if (randid_make(me->id, "snd", err) < 0)
		return -1;
	if (gethostname(me->host, sizeof me->host) < 0)
		strcpy(me->host, "?");
	me->host[sizeof me->host - 1] = '\0';
	me->pid = (long)getpid();
	me->started_at = store_now_ms();
	store_set_claimant(st, me->id);
	return store_is_postgresql(st) ? insert_row(st, me, me->started_at, err) : 0;
}

/* Run a cached write with ?1 the sender, ?2 now and ?3, ?4 a and b (a
 * statement uses those it names); its change count in *n (may be
 * NULL). */
static int run_write(struct store *st, const char *sql, const struct senders_me *me, long long now,
		 long long a, long long b, long long *n, const char *what, char *err)
{
	struct db_stmt *s = store_sql(st, sql, err);

	if (s) {
		db_bind_text(s, 1, me->id);
		db_bind_int64(s, 2, now);
		db_bind_int64(s, 3, a);
		db_bind_int64(s, 4, b);
	}
	if (store_run(st, s, what, err) < 0)
		return -1;
	if (n)
		*n = store_changes(st);
	return 0;
}

/* Renew the leases of the claims this sender holds (held: a JSON array
 * of their ids), and those only: a claim it committed but never heard of
 * (its connection lost at the commit) runs out and is taken back. */
static int renew(struct store *st, const struct senders_me *me, const char *held, char *err)
{
	struct db_stmt *s = store_sql(st, "UPDATE deliveries SET lease_until = hookman_now_ms() + ?2 "
				      "WHERE state = 'inflight' AND claimed_by = ?1 "
				      "AND id IN (SELECT CAST(value AS INTEGER) FROM json_each(?3))", err);

	if (s) {
		db_bind_text(s, 1, me->id);
		db_bind_int64(s, 2, SENDERS_LEASE_MS);
		db_bind_text(s, 3, held);
	}
	return store_run(st, s, "cannot renew this sender's claims", err);
}

int senders_beat(struct store *st, const struct senders_me *me, const char *held, long long inflight,
		 long long last_minute, long long *taken, char *err)
{
	long long now = store_now_ms(), n;

	*taken = 0;
	if (!store_is_postgresql(st))
		return 0;
	if (store_begin_turn(st, err) < 0)
		return -1;
	if (run_write(st, "UPDATE senders SET heartbeat_at = ?2, inflight = ?3, last_minute = ?4, stopped_at = NULL "
		  "WHERE id = ?1", me, now, inflight, last_minute, &n, "cannot beat", err) < 0)
		goto fail;
	/* A row removed by hand comes back. */
	if (n == 0 && insert_row(st, me, now, err) < 0)
		goto fail;
	if (renew(st, me, held, err) < 0)
		goto fail;
	/* A test send is its client's, who waits for it: it dies with its
	 * sender, as in queue_recover. */
	if (run_write(st, "UPDATE deliveries SET state = CASE WHEN is_test = 0 THEN 'pending' ELSE 'dead' END, "
		  "last_error = CASE WHEN is_test = 0 THEN last_error "
		  "ELSE 'the sender stopped before the test finished' END, claimed_by = NULL, lease_until = NULL "
		  "WHERE state = 'inflight' AND lease_until < hookman_now_ms()",
		  me, now, 0, 0, taken, "cannot take over the claims of a sender that is gone", err) < 0)
		goto fail;
	return store_commit(st, err);
fail:
	store_rollback(st);
	return -1;
}

int senders_stop(struct store *st, const struct senders_me *me, char *err)
{
	if (!store_is_postgresql(st))
		return 0;
	return run_write(st, "UPDATE senders SET stopped_at = ?2, inflight = 0 WHERE id = ?1",
		     me, store_now_ms(), 0, 0, NULL, "cannot record this sender's stop", err);
}

int senders_list(struct store *st, long long now, struct senders_row **rows, size_t *n, char *err)
{
	struct db_stmt *s;
	struct senders_row *list = NULL, *grown;
	size_t count = 0, cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	if (!store_is_postgresql(st))
		return 0;
	s = store_sql(st, "SELECT id, host, pid, started_at, heartbeat_at, inflight, last_minute, "
		      "coalesce(stopped_at, 0) FROM senders WHERE heartbeat_at >= ?1 - 86400000 "
		      "ORDER BY stopped_at IS NOT NULL, heartbeat_at < ?1 - ?2, started_at DESC", err);
	if (!s)
		return -1;
	db_bind_int64(s, 1, now);
	db_bind_int64(s, 2, SENDERS_LEASE_MS);
	while ((rc = db_step(s)) == DB_ROW) {
		struct senders_row *r;

		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			grown = realloc(list, cap * sizeof *list);
			if (!grown)
				goto oom;
			list = grown;
		}
		r = &list[count];
		memset(r, 0, sizeof *r);
		r->id = db_column_dup(s, 0);
		r->host = db_column_dup(s, 1);
		count++;
		if (!r->id || !r->host)
			goto oom;
		r->pid = db_column_int64(s, 2);
		r->started_at = db_column_int64(s, 3);
		r->heartbeat_at = db_column_int64(s, 4);
		r->inflight = db_column_int64(s, 5);
		r->last_minute = db_column_int64(s, 6);
		r->stopped_at = db_column_int64(s, 7);
		r->gone = !r->stopped_at && now - r->heartbeat_at > SENDERS_LEASE_MS;
	}
	db_reset(s);
	if (rc != DB_DONE) {
		senders_list_free(list, count);
		store_sql_error(st, "cannot list the senders", err);
		return -1;
	}
	*rows = list;
	*n = count;
	return 0;
oom:
	db_reset(s);
	senders_list_free(list, count);
	err_oom(err, "senders");
	return -1;
}

void senders_list_free(struct senders_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(rows[i].id);
		free(rows[i].host);
	}
	free(rows);
}
