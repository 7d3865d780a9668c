#include "sender.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "control_proto.h"
#include "duration.h"
#include "http.h"
#include "log.h"
#include "mask.h"
#include "metrics.h"
#include "metricsfile.h"
#include "prune.h"
#include "rate.h"
#include "server.h"
#include "secret.h"
#include "sbuf.h"
#include "senders.h"
#include "stats.h"

#define IDLE_WAIT_MS 60000        /* safety net: look at the store at least this often */
#define STORE_RETRY_MS 1000       /* after a failed write (disk full), try again */
#define STORE_BUSY_WAIT_MS 5      /* longest the loop waits for another process's lock */
#define STORE_BUSY_RETRY_MS 20    /* then it tries again this soon, transfers going on */
#define STORE_BUSY_REPORT_MS 2000 /* a lock held this long is logged and shown in status */
#define TURN_DELAY_MS 2           /* longest a finished delivery waits to be recorded */
#define STALL_MS 2000             /* a request unanswered this long marks its webhook slow */
#define ASIDE_MAX 1024            /* deliveries set aside, remembered until restart */
#define TEST_BODY_EXCERPT 4096
#define PRUNE_EVERY_MS (24LL * 60 * 60 * 1000)   /* from start, once a day */
#define PRUNE_PAUSE_MS 100        /* between two batches, the queue's turns come first */
#define PRUNE_TURN_ROWS 250       /* a quarter of hookman prune's batch: ~20 ms (bench/retention.c) */
#define PRUNE_RETRY_MS 3600000    /* after a prune failed for another reason than a lock */
#define METRICS_EVERY_MS 15000    /* --metrics-file: node_exporter's usual scrape interval */
#define METRICS_BUSY_RETRY_MS 1000

/* What the sender knows of a webhook with requests in flight, or whose
 * concurrency its timeouts have cut. */
struct hookstate {
	long long webhook_id;
	unsigned inflight;
	unsigned limit;            /* cut by timeouts, grown back by answers */
	int answering;             /* its last request got an answer in time */
	int stalled;               /* a request of its waits longer than STALL_MS */
	struct rate_bucket bucket; /* its rate (bucket.n 0: none), as the last claim read it */
	int paced;                 /* its rate was asked about in the claim under way */
};

struct finished {
	struct transfer *t;
	struct outcome out;
	char errtext[512];
};

struct sender {
	struct sender_config cfg;
	struct store *st;
	int signal_fd;
	CURLM *multi;
	struct server *srv;
	struct transfer **active;   /* every transfer in the multi handle */
	size_t nactive, capactive;
	size_t nregular;            /* of which not tests: bounded by max_total */
	struct hookstate *hooks;    /* in flight and health per webhook */
	size_t nhooks, caphooks;
	long long cursor;           /* round robin: the webhook served last */
	long long *aside;           /* delivery ids the store refused, never claimed again */
	size_t naside;
	char *aside_json;           /* the same as a JSON array for the claim */
	long long busy_since;       /* 0, or since when the store has been locked by another process */
	int busy_reported;
	struct finished *done;      /* outcomes waiting to be recorded */
	size_t ndone, capdone;
	long long first_done_at;    /* when the oldest of them finished */
	CURL **idle;                /* easy handles kept for reuse */
	size_t nidle;
	int need_claim;
	long long heard;            /* store_data_version when last looked at */
	struct senders_me me;       /* this sender among the store's (senders.h) */
	long long beat_at;          /* the next beat, 0 when the store has one sender */
	long long last_claim_at;
	long long next_due;         /* -1: nothing due that we know of */
	long long store_retry_at;   /* 0, or when to retry a failed store write */
	int stopping;
	long long stop_deadline;
	long long started_at;
	long long sec[60];          /* deliveries per second over the last minute */
	unsigned per_sec[60];
	long long delivered, failed;
	char store_error[ERR_MAX];
	long long prune_at;         /* when the next batch of the daily prune is due */
	struct prune_counts pruned; /* by the batches of the prune under way */
	long long metrics_at;       /* when --metrics-file is written next */
	int metrics_failing;        /* its last write failed (logged once) */
};

static long long now_ms(void)
{
	return store_now_ms();
}

static struct hookstate *hook_of(struct sender *s, long long webhook_id, int create)
{
	size_t i;

	for (i = 0; i < s->nhooks; i++)
		if (s->hooks[i].webhook_id == webhook_id)
			return &s->hooks[i];
	if (!create)
		return NULL;
	if (s->nhooks == s->caphooks) {
		size_t cap = s->caphooks ? s->caphooks * 2 : 16;
		struct hookstate *grown = realloc(s->hooks, cap * sizeof *grown);

		if (!grown)
			return NULL;
		s->hooks = grown;
		s->caphooks = cap;
	}
	memset(&s->hooks[s->nhooks], 0, sizeof s->hooks[0]);
	s->hooks[s->nhooks].webhook_id = webhook_id;
	s->hooks[s->nhooks].limit = (unsigned)s->cfg.max_per_webhook;
	return &s->hooks[s->nhooks++];
}

/* A webhook with nothing in flight that answers at its full limit is
 * forgotten; one that timed out keeps what it taught the breaker. */
static void hook_forget_idle(struct sender *s)
{
	size_t i = 0;

	while (i < s->nhooks) {
		struct hookstate *h = &s->hooks[i];

		if (h->inflight == 0 && h->limit >= s->cfg.max_per_webhook && h->answering &&
		    (!h->bucket.n || rate_bucket_full(&h->bucket, now_ms())))
			*h = s->hooks[--s->nhooks];
		else
			i++;
	}
}

/* The slots kept for webhooks that answer: hung receivers may fill every
 * other one, never these. */
static size_t reserved_slots(const struct sender *s)
{
	return s->cfg.max_total >= 2 ? (s->cfg.max_total + 7) / 8 : 0;
}

/* The tokens a webhook with a rate has now. Its bucket follows the rate
 * the claim read from the store, so an edit applies at the next claim; a
 * bucket starts with one token (rate.h): a restart cannot burst. */
static long long tokens(struct hookstate *h, const struct queue_room *r, long long now)
{
	if (!h->bucket.n)
		rate_bucket_start(&h->bucket, r->rate_n, r->rate_ms, now);
	else if (h->bucket.n != r->rate_n || h->bucket.ms != r->rate_ms)
		rate_bucket_set(&h->bucket, r->rate_n, r->rate_ms, now);
	h->paced = 1;
	return rate_bucket_tokens(&h->bucket, now);
}

/* How many more of a webhook's deliveries may start: its limit (cut by
 * timeouts) less what it has in flight, and no more than its rate's
 * tokens. The reserve goes to webhooks that answer and have nothing
 * stalled, or for one request to a webhook with nothing in flight (a
 * newcomer must get a first chance). */
static void room(void *ctx, long long webhook_id, struct queue_room *r)
{
	struct sender *s = ctx;
	struct hookstate *h = hook_of(s, webhook_id, r->rate_n > 0);
	unsigned limit = h ? h->limit : (unsigned)s->cfg.max_per_webhook, inflight = h ? h->inflight : 0;
	long long have;

	r->room = inflight < limit ? limit - inflight : 0;
	if (h && h->answering && !h->stalled)
		r->reserve = r->room;
	else
		r->reserve = inflight == 0 && (!h || h->limit >= s->cfg.max_per_webhook) ? 1 : 0;
	if (h && !r->rate_n)
		h->bucket.n = 0;   /* its rate was removed */
	if (!r->rate_n)
		return;
	/* Out of memory for its state: wait rather than pass the rate. */
	have = h ? tokens(h, r, now_ms()) : 0;
	if ((long long)r->room > have)
		r->room = (size_t)have;
	if (r->reserve > r->room)
		r->reserve = r->room;
}

/* Take a token for each delivery claimed of a webhook with a rate; the
 * time the next token is due for a webhook that was asked and has none
 * left, or -1. Its deliveries wait, in order, until then. */
static long long pace(struct sender *s, const struct job *jobs, size_t n, long long now)
{
	long long next = -1;
	size_t i;

	for (i = 0; i < n; i++) {
		struct hookstate *h = hook_of(s, jobs[i].webhook_id, 0);

		if (h && h->bucket.n)
			rate_bucket_take(&h->bucket, 1);
	}
	for (i = 0; i < s->nhooks; i++) {
		struct hookstate *h = &s->hooks[i];

		if (h->paced && h->bucket.n && rate_bucket_tokens(&h->bucket, now) == 0 &&
		    (next < 0 || rate_bucket_next(&h->bucket) < next))
			next = rate_bucket_next(&h->bucket);
		h->paced = 0;
	}
	return next;
}

/* In-flight counts from the transfers themselves, and which webhooks have
 * a request waiting longer than STALL_MS. */
static void recount(struct sender *s)
{
	long long now = now_ms();
	size_t i;

	for (i = 0; i < s->nhooks; i++)
		s->hooks[i].inflight = 0, s->hooks[i].stalled = 0;
	for (i = 0; i < s->nactive; i++) {
		struct transfer *t = s->active[i];
		struct hookstate *h;

		if (t->job.is_test)
			continue;
		h = hook_of(s, t->job.webhook_id, 1);
		if (!h)
			continue;   /* out of memory: the webhook's limit is not enforced this turn */
		h->inflight++;
		if (now - t->started_at > STALL_MS)
			h->stalled = 1;
	}
	hook_forget_idle(s);
}

/* The breaker: a timeout halves the webhook's concurrency (down to 1), an
 * answer in time gives one back. */
static void learn(struct sender *s, const struct job *j, const struct outcome *o)
{
	struct hookstate *h;
	unsigned before;

	if (j->is_test)
		return;
	h = hook_of(s, j->webhook_id, 1);
	if (!h)
		return;
	before = h->limit;
	h->answering = !o->timed_out;
	if (o->timed_out)
		h->limit = h->limit > 1 ? h->limit / 2 : 1;
	else if (h->limit < s->cfg.max_per_webhook)
		h->limit++;
	if (h->limit < before && before == s->cfg.max_per_webhook)
		log_msg("webhook \"%s\" is timing out: at most %u request%s at once until it answers again",
			j->webhook_name, h->limit, h->limit == 1 ? "" : "s");
	else if (h->limit == s->cfg.max_per_webhook && before < h->limit)
		log_msg("webhook \"%s\" answers again: back to %u requests at once", j->webhook_name, h->limit);
}

static int track(struct sender *s, struct transfer *t)
{
	if (s->nactive == s->capactive) {
		size_t cap = s->capactive ? s->capactive * 2 : 64;
		struct transfer **grown = realloc(s->active, cap * sizeof *grown);

		if (!grown)
			return -1;
		s->active = grown;
		s->capactive = cap;
	}
	if (curl_multi_add_handle(s->multi, t->easy) != CURLM_OK)
		return -1;
	s->active[s->nactive++] = t;
	if (!t->job.is_test)
		s->nregular++;
	return 0;
}

static void untrack(struct sender *s, struct transfer *t)
{
	size_t i;

	curl_multi_remove_handle(s->multi, t->easy);
	for (i = 0; i < s->nactive; i++)
		if (s->active[i] == t) {
			s->active[i] = s->active[--s->nactive];
			break;
		}
	if (!t->job.is_test)
		s->nregular--;
}

static void store_failed(struct sender *s, const char *what, const char *err)
{
	if (strcmp(s->store_error, err) != 0)
		log_msg("%s: %s; retrying every %d ms", what, err, STORE_RETRY_MS);
	snprintf(s->store_error, sizeof s->store_error, "%s", err);
	s->store_retry_at = now_ms() + STORE_RETRY_MS;
}

/* Another process holds the store's write lock: try again very soon while
 * transfers and the control socket go on; say so only when it lasts. */
static void store_busy(struct sender *s, const char *err)
{
	long long now = now_ms();

	if (!s->busy_since)
		s->busy_since = now;
	if (!s->busy_reported && now - s->busy_since >= STORE_BUSY_REPORT_MS) {
		s->busy_reported = 1;
		log_msg("the store has been locked by another process for %lld ms: %zu finished deliveries wait to "
			"be recorded, requests go on (%s)", now - s->busy_since, s->ndone, err);
		snprintf(s->store_error, sizeof s->store_error, "%s", err);
	}
	s->store_retry_at = now + STORE_BUSY_RETRY_MS;
}

static void store_ok(struct sender *s)
{
	if (s->busy_reported)
		log_msg("the store is free again after %lld ms", now_ms() - s->busy_since);
	else if (s->store_error[0])
		log_msg("the store is writable again");
	s->busy_since = 0;
	s->busy_reported = 0;
	s->store_error[0] = '\0';
	s->store_retry_at = 0;
}

/* A delivery the store refused to claim or record: never claimed again by
 * this sender (a restart tries once more), logged once. */
static void set_aside(struct sender *s, long long id, const char *uid, const char *why)
{
	struct sbuf b;
	size_t i;

	log_msg("delivery %s set aside, the others go on: %s", uid, why);
	if (s->naside == ASIDE_MAX)
		return;
	s->aside[s->naside++] = id;
	sbuf_init(&b);
	sbuf_append(&b, "[");
	for (i = 0; i < s->naside; i++)
		sbuf_appendf(&b, "%s%lld", i ? "," : "", s->aside[i]);
	sbuf_append(&b, "]");
	free(s->aside_json);
	s->aside_json = sbuf_take(&b);
}

/* A control request refused: {"ok": false, "error": why}. */
static json_t *refuse(const char *why)
{
	return json_pack("{s:b, s:s}", CONTROL_F_OK, 0, CONTROL_F_ERROR, why);
}

static json_t *test_reply(const struct finished *f, enum verdict v)
{
	const struct outcome *o = &f->out;
	json_t *r = json_pack("{s:b, s:s, s:I, s:s}", CONTROL_F_OK, 1, CONTROL_F_ID, f->t->job.uid,
			      CONTROL_F_DURATION_MS, (json_int_t)o->duration_ms, CONTROL_F_RESULT,
			      v == VERDICT_DELIVERED ? CONTROL_RESULT_DELIVERED : CONTROL_RESULT_FAILED);

	if (!r)
		return NULL;
	json_object_set_new(r, CONTROL_F_STATUS, o->status ? json_integer(o->status) : json_null());
	json_object_set_new(r, CONTROL_F_ERROR, o->error ? json_string(o->error) : json_null());
	json_object_set_new(r, CONTROL_F_REQUEST_HEADERS, json_string(o->request_headers ? o->request_headers : ""));
	json_object_set_new(r, CONTROL_F_RESPONSE_HEADERS,
			    json_string(o->response_headers ? o->response_headers : ""));
	json_object_set_new(r, CONTROL_F_RESPONSE_BODY, o->response_body ?
			    json_stringn_nocheck(o->response_body, o->response_len < TEST_BODY_EXCERPT ?
						 o->response_len : TEST_BODY_EXCERPT) : json_string(""));
	json_object_set_new(r, CONTROL_F_RESPONSE_SIZE, json_integer(o->response_size));
	/* The body may not be UTF-8: json_stringn_nocheck would then emit
	 * invalid JSON, so fall back to a description. */
	if (o->response_body && !json_string_value(json_object_get(r, CONTROL_F_RESPONSE_BODY)))
		json_object_set_new(r, CONTROL_F_RESPONSE_BODY, json_string("(binary response)"));
	return r;
}

static void count_delivered(struct sender *s, long long now)
{
	long long sec = now / 1000;
	size_t b = (size_t)(sec % 60);

	if (s->sec[b] != sec) {
		s->sec[b] = sec;
		s->per_sec[b] = 0;
	}
	s->per_sec[b]++;
	s->delivered++;
}

static unsigned last_minute(const struct sender *s)
{
	long long sec = now_ms() / 1000;
	unsigned total = 0;
	size_t i;

	for (i = 0; i < 60; i++)
		if (s->sec[i] > sec - 60)
			total += s->per_sec[i];
	return total;
}

static void report(struct sender *s, const struct finished *f, const struct queue_result *r)
{
	const struct job *j = &f->t->job;
	const struct decision *d = &r->decision;
	char url[300];

	if (r->fate == QUEUE_GONE) {
		log_msg("%s after %lld ms: %s; its outcome is dropped", f->out.status ? "answered" : "finished",
			f->out.duration_ms, r->why);
		return;
	}
	if (r->fate == QUEUE_ASIDE) {
		set_aside(s, j->id, j->uid, r->why);
		return;
	}
	if (d->verdict == VERDICT_DELIVERED) {
		count_delivered(s, f->out.started_at + f->out.duration_ms);
		return;
	}
	s->failed++;
	mask_url(j->url, url, sizeof url);
	if (d->verdict == VERDICT_RETRY)
		log_msg("%s %s to \"%s\" (%s) failed after %lld ms: %s; %s in %lld ms", j->is_test ? "test" : "delivery",
			j->uid, j->webhook_name, url, f->out.duration_ms, f->out.error ? f->out.error : "no response",
			d->step ? "will retry" : "will wait as Retry-After asks and retry", d->next_ms);
	else
		log_msg("%s %s to \"%s\" (%s) failed after %lld ms: %s; %s%s", j->is_test ? "test" : "delivery",
			j->uid, j->webhook_name, url, f->out.duration_ms, f->out.error ? f->out.error : "no response",
			j->is_test ? "" : "dead: ", d->why);
	if (f->out.status == 410 && !j->is_test)
		log_msg("webhook \"%s\" disabled: the receiver answered 410 Gone", j->webhook_name);
}

static CURL *take_easy(struct sender *s)
{
	return s->nidle ? s->idle[--s->nidle] : NULL;
}

static void free_transfer(struct sender *s, struct transfer *t)
{
	CURL *easy = http_free(t, s->nidle < s->cfg.max_total);

	if (easy)
		s->idle[s->nidle++] = easy;
}

static void start_jobs(struct sender *s, struct job *jobs, size_t n, long long now)
{
	char err[ERR_MAX];
	size_t i;

	for (i = 0; i < n; i++) {
		struct transfer *t = http_prepare(&jobs[i], now, &s->cfg.http, take_easy(s), err);

		if (!t || track(s, t) < 0) {
			/* Left in flight in the store: the next start sends it. */
			log_msg("cannot start a delivery: %s", t ? "libcurl refused it" : err);
			http_free(t, 0);
		}
	}
}

/* One transaction per turn of the loop: record what finished and claim
 * what may start, so a busy sender commits once per turn, not per request.
 * Transfers start and test replies go out only after the commit. A row the
 * store refuses is set aside by queue_finish or queue_claim and the rest
 * goes on; a failure of the whole store (disk full) changes nothing and
 * the finished outcomes wait for the next try; a lock held by another
 * process is waited on for a few ms at most, then tried again shortly. */
static void store_turn(struct sender *s, int do_record, int do_claim)
{
	size_t nrec = do_record ? s->ndone : 0, i, k, nrow = 0;
	struct job **done_jobs = NULL;
	struct outcome *outs = NULL;
	struct queue_result *results = NULL, test_result;
	struct queue_claim c;
	char err[ERR_MAX];
	long long paced;

	memset(&c, 0, sizeof c);
	c.now = now_ms();
	c.max = do_claim && s->cfg.max_total > s->nregular ? s->cfg.max_total - s->nregular : 0;
	c.reserved = reserved_slots(s);
	c.room = room;
	c.ctx = s;
	c.skip = s->aside_json;
	c.cursor = s->cursor;
	if (nrec == 0 && c.max == 0)
		return;
	if (nrec) {
		done_jobs = calloc(nrec, sizeof *done_jobs);
		outs = calloc(nrec, sizeof *outs);
		results = calloc(nrec, sizeof *results);
		if (!done_jobs || !outs || !results) {
			store_failed(s, "cannot record deliveries", "out of memory");
			goto out;
		}
		/* Unsaved-form tests (no row) are answered, not recorded. */
		for (i = 0; i < nrec; i++) {
			if (!s->done[i].t->job.id)
				continue;
			done_jobs[nrow] = &s->done[i].t->job;
			outs[nrow++] = s->done[i].out;
		}
	}
	if (c.max)
		recount(s);
	if (store_begin_turn(s->st, err) < 0)
		goto fail_free;
	if (nrow && queue_finish(s->st, &s->cfg.policy, done_jobs, outs, nrow, results, err) < 0)
		goto fail;
	if (c.max && queue_claim(s->st, &c, err) < 0)
		goto fail;
	if (store_commit(s->st, err) < 0)
		goto fail_free;
	store_ok(s);
	for (i = 0, k = 0; i < nrec; i++) {
		struct finished *f = &s->done[i];
		const struct queue_result *r;

		if (f->t->job.id) {
			r = &results[k++];
		} else {
			memset(&test_result, 0, sizeof test_result);
			queue_decide(&s->cfg.policy, &f->t->job, &f->out, 0, &test_result.decision);
			r = &test_result;
		}
		report(s, f, r);
		server_announce(s->srv, &f->t->job, &f->out, r);
		if (f->t->client >= 0)
			server_reply(s->srv, f->t->client, f->t->client_serial, test_reply(f, r->decision.verdict));
		free_transfer(s, f->t);
	}
	if (nrec)
		s->ndone = 0;   /* all of them: nrec is ndone when recording */
	if (c.max) {
		for (i = 0; i < c.naside; i++)
			set_aside(s, c.aside[i].id, c.aside[i].uid, c.aside[i].why);
		s->cursor = c.cursor;
		s->need_claim = 0;
		/* Everything due is running, or waits for a slot or for room
		 * that a finishing transfer gives back (which claims again):
		 * sleep until the next due time. */
		s->next_due = c.next_due;
		paced = pace(s, c.jobs, c.n, c.now);
		if (paced >= 0 && (s->next_due < 0 || paced < s->next_due))
			s->next_due = paced;
		start_jobs(s, c.jobs, c.n, c.now);
		c.n = 0;
	}
	if (nrec)
		s->need_claim = 1;
	queue_claim_clear(&c);
	recount(s);
	goto out;
fail:
	store_rollback(s->st);
fail_free:
	queue_claim_clear(&c);
	recount(s);
	if (err_kind(err) == ERR_BUSY)
		store_busy(s, err);
	else
		store_failed(s, nrec ? "cannot record deliveries" : "cannot claim deliveries", err);
out:
	free(done_jobs);
	free(outs);
	free(results);
}

static void collect(struct sender *s)
{
	struct CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(s->multi, &left))) {
		struct transfer *t = NULL;
		struct finished *f;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
		if (s->ndone == s->capdone) {
			size_t cap = s->capdone ? s->capdone * 2 : 64;
			struct finished *grown = realloc(s->done, cap * sizeof *grown);

			if (!grown) {
				log_msg("out of memory recording a finished delivery; it stays in flight until restart");
				untrack(s, t);
				http_free(t, 0);
				continue;
			}
			s->done = grown;
			s->capdone = cap;
		}
		if (s->ndone == 0)
			s->first_done_at = now_ms();
		f = &s->done[s->ndone++];
		f->t = t;
		http_outcome(t, msg->data.result, now_ms(), &f->out, f->errtext, sizeof f->errtext);
		/* Learnt as it finishes, so the next claim (maybe in the very
		 * turn that records it) already sees the webhook's new limit. */
		learn(s, &t->job, &f->out);
		untrack(s, t);
	}
}

/* The STORE ERROR as wake and status report it: null when none. */
static json_t *store_error_json(const struct sender *s)
{
	return s->store_error[0] ? json_string(s->store_error) : json_null();
}

static json_t *status(struct sender *s)
{
	json_t *r = json_pack("{s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:{s:I, s:I}, s:b}", CONTROL_F_OK, 1,
			      CONTROL_F_PID, (json_int_t)getpid(), CONTROL_F_STARTED_AT, (json_int_t)s->started_at,
			      CONTROL_F_UPTIME_S, (json_int_t)((now_ms() - s->started_at) / 1000),
			      CONTROL_F_INFLIGHT, (json_int_t)s->nactive,
			      CONTROL_F_LAST_MINUTE, (json_int_t)last_minute(s),
			      CONTROL_F_DELIVERED, (json_int_t)s->delivered, CONTROL_F_FAILED, (json_int_t)s->failed,
			      CONTROL_F_LIMITS, CONTROL_F_LIMIT_TOTAL, (json_int_t)s->cfg.max_total,
			      CONTROL_F_LIMIT_PER_WEBHOOK, (json_int_t)s->cfg.max_per_webhook,
			      CONTROL_F_DENY_PRIVATE, s->cfg.http.deny_private);
	char err[ERR_MAX];

	if (!r)
		return NULL;
	if (stats_queue(s->st, r, err) < 0)
		json_object_set_new(r, CONTROL_F_QUEUE_ERROR, json_string(err));
	json_object_set_new(r, CONTROL_F_STORE_ERROR, store_error_json(s));
	return r;
}

/* A test of settings not saved yet (the form's): everything the request
 * needs comes with it and nothing is recorded. */
static int job_from_spec(json_t *spec, struct job *job, char *err)
{
	const char *url = json_string_value(json_object_get(spec, CONTROL_F_URL));
	const char *body = json_string_value(json_object_get(spec, CONTROL_F_BODY));
	json_t *secret = json_object_get(spec, CONTROL_F_SECRET), *headers = json_object_get(spec, CONTROL_F_HEADERS);
	json_int_t timeout = json_integer_value(json_object_get(spec, CONTROL_F_TIMEOUT));
	json_t *h;
	size_t i;

	memset(job, 0, sizeof *job);
	if (!url || !body || webhook_check_url(url, err) < 0) {
		if (!url || !body)
			err_set(err, "a test needs at least \"" CONTROL_F_URL "\" and \"" CONTROL_F_BODY "\"");
		return -1;
	}
	if (json_is_string(secret) && secret_check(json_string_value(secret), err) < 0)
		return -1;
	if (timeout < TIMEOUT_MIN || timeout > TIMEOUT_MAX)
		timeout = TIMEOUT_DEFAULT;
	job->is_test = 1;
	job->verify_tls = !json_is_false(json_object_get(spec, CONTROL_F_VERIFY_TLS));
	job->timeout = (int)timeout;
	job->url = strdup(url);
	job->body = strdup(body);
	job->body_len = strlen(body);
	job->webhook_name = strdup("(form, not saved)");
	job->secret = json_is_string(secret) ? strdup(json_string_value(secret)) : NULL;
	if (json_array_size(headers))
		job->headers = calloc(json_array_size(headers), sizeof *job->headers);
	json_array_foreach(headers, i, h)
		if (json_is_string(h) && job->headers)
			job->headers[job->nheaders++] = strdup(json_string_value(h));
	if (!job->url || !job->body || !job->webhook_name || randid_make(job->uid, "msg", err) < 0) {
		queue_job_free(job);
		err_set(err, "out of memory");
		return -1;
	}
	return 0;
}

static json_t *start_test(struct sender *s, json_t *req, int client, unsigned serial)
{
	json_t *id = json_object_get(req, CONTROL_F_DELIVERY), *spec = json_object_get(req, CONTROL_F_SPEC);
	struct transfer *t;
	struct job job;
	char err[ERR_MAX];

	if (!json_is_integer(id) && !json_is_object(spec))
		return refuse(CONTROL_CMD_TEST " needs a \"" CONTROL_F_DELIVERY "\" id or a \"" CONTROL_F_SPEC "\"");
	if (s->stopping)
		return refuse("hookmand is stopping");
	if (json_is_object(spec)) {
		if (job_from_spec(spec, &job, err) < 0)
			return refuse(err);
	} else if (queue_load(s->st, json_integer_value(id), &job, err) < 0) {
		return refuse(err);
	} else if (!job.is_test) {
		queue_job_free(&job);
		return refuse("that delivery is not a test");
	}
	t = http_prepare(&job, now_ms(), &s->cfg.http, take_easy(s), err);
	if (!t)
		return refuse(err);
	t->client = client;
	t->client_serial = serial;
	if (track(s, t) < 0) {
		http_free(t, 0);
		return refuse("cannot start the request");
	}
	return NULL;
}

static json_t *handle(void *ctx, json_t *req, int client, unsigned serial)
{
	struct sender *s = ctx;
	const char *cmd = json_string_value(json_object_get(req, CONTROL_F_CMD));

	if (!cmd)
		return refuse("request has no \"" CONTROL_F_CMD "\"");
	if (strcmp(cmd, CONTROL_CMD_WAKE) == 0) {
		s->need_claim = 1;
		return json_pack("{s:b, s:o}", CONTROL_F_OK, 1, CONTROL_F_STORE_ERROR, store_error_json(s));
	}
	if (strcmp(cmd, CONTROL_CMD_STATUS) == 0)
		return status(s);
	if (strcmp(cmd, CONTROL_CMD_TEST) == 0)
		return start_test(s, req, client, serial);
	if (strcmp(cmd, CONTROL_CMD_STOP) == 0) {
		sender_signal(s, 'T');
		return json_pack("{s:b, s:I}", CONTROL_F_OK, 1, CONTROL_F_PID, (json_int_t)getpid());
	}
	return refuse("unknown command (" CONTROL_CMD_WAKE ", " CONTROL_CMD_STATUS ", " CONTROL_CMD_TEST ", "
		      CONTROL_CMD_STOP ")");
}

/* --metrics-file: the store's state as node_exporter's textfile
 * collector reads it; senders is 0 only in the last write, at stop. */
static int write_metrics(struct sender *s, int senders, char *err)
{
	struct sbuf text;
	int rc;

	sbuf_init(&text);
	rc = metrics_expose(s->st, senders, now_ms(), &text, err);
	if (rc == 0)
		rc = metricsfile_write(s->cfg.metrics_file, sbuf_text(&text), err);
	sbuf_release(&text);
	return rc;
}

/* A failure after the start is logged once, not fatal: the queue matters
 * more than its picture. A lock held elsewhere is tried again soon. */
static void metrics_turn(struct sender *s, long long now, int senders)
{
	char err[ERR_MAX];

	s->metrics_at = now + METRICS_EVERY_MS;
	if (write_metrics(s, senders, err) == 0) {
		if (s->metrics_failing)
			log_msg("metrics file %s written again", s->cfg.metrics_file);
		s->metrics_failing = 0;
	} else if (err_kind(err) == ERR_BUSY) {
		s->metrics_at = now + METRICS_BUSY_RETRY_MS;
	} else if (!s->metrics_failing) {
		log_msg("cannot write the metrics file (%s); trying again every 15 s", err);
		s->metrics_failing = 1;
	}
}

struct sender *sender_new(const struct sender_config *cfg, struct store *st, int signal_fd, char *err)
{
	struct sender *s = calloc(1, sizeof *s);
	long long recovered = 0;

	if (!s)
		return err_oom(err, "sender");
	s->cfg = *cfg;
	s->st = st;
	s->signal_fd = signal_fd;
	s->next_due = -1;
	s->need_claim = 1;
	s->started_at = now_ms();
	s->prune_at = s->started_at;   /* in the first turn with nothing else to write */
	s->aside = calloc(ASIDE_MAX, sizeof *s->aside);
	s->idle = calloc(cfg->max_total, sizeof *s->idle);
	s->multi = curl_multi_init();
	if (!s->aside || !s->idle || !s->multi) {
		err_set(err, "cannot create the libcurl multi handle");
		goto fail;
	}
	curl_multi_setopt(s->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)cfg->max_total + SERVER_CLIENTS);
	curl_multi_setopt(s->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
	curl_multi_setopt(s->multi, CURLMOPT_MAXCONNECTS, (long)cfg->max_total);
	if (senders_start(st, &s->me, err) < 0 || queue_recover(st, &recovered, err) < 0)
		goto fail;
	if (store_is_postgresql(st))
		s->beat_at = now_ms() + SENDERS_BEAT_MS;
	if (recovered)
		log_msg("%lld deliveries were in flight when the sender stopped: sending them again", recovered);
	/* From now on the loop never waits long for another process's lock:
	 * a busy store defers the write, requests and the socket go on. */
	store_set_busy_wait(st, STORE_BUSY_WAIT_MS);
	s->srv = server_open(cfg->run_dir, handle, s, err);
	if (!s->srv)
		goto fail;
	if (cfg->metrics_file) {
		if (write_metrics(s, 1, err) < 0) {
			err_prefix(err, "--metrics-file");
			goto fail;
		}
		s->metrics_at = now_ms() + METRICS_EVERY_MS;
	}
	return s;
fail:
	sender_free(s);
	return NULL;
}

void sender_signal(struct sender *s, char sig)
{
	if (sig == 'H') {
		log_reopen();
		log_msg("log reopened");
	} else if (sig == 'T' && !s->stopping) {
		s->stopping = 1;
		s->stop_deadline = now_ms() + s->cfg.grace_ms;
		log_msg("stopping: %zu requests in flight get %ld ms to finish", s->nactive, s->cfg.grace_ms);
	}
}

static size_t free_slots(const struct sender *s)
{
	return s->cfg.max_total > s->nregular ? s->cfg.max_total - s->nregular : 0;
}

static size_t batch(const struct sender *s)
{
	return s->cfg.max_total >= 4 ? s->cfg.max_total / 4 : 1;
}

/* Record now, or let a few more finish first? A test's client is waiting,
 * so is an idle sender; otherwise a batch or a short delay decides. */
static int want_record(const struct sender *s, long long now)
{
	size_t i;

	if (s->ndone == 0)
		return 0;
	if (s->stopping || s->ndone >= batch(s) || s->nregular == 0 || now - s->first_done_at >= TURN_DELAY_MS)
		return 1;
	for (i = 0; i < s->ndone; i++)
		if (s->done[i].t->client >= 0)
			return 1;
	return 0;
}

static int want_claim(const struct sender *s, long long now)
{
	size_t slots = free_slots(s);

	/* The safety net: look at the store now and then, whatever we
	 * believe is due. */
	if (now - s->last_claim_at >= IDLE_WAIT_MS)
		return !s->stopping && slots > 0;
	if (s->stopping || slots == 0 || !(s->need_claim || (s->next_due >= 0 && s->next_due <= now)))
		return 0;
	return slots >= batch(s) || s->nregular == 0 || now - s->last_claim_at >= TURN_DELAY_MS;
}

static long wait_ms(const struct sender *s)
{
	long long now = now_ms(), w = IDLE_WAIT_MS;

	if (s->stopping)
		return 50;
	if (s->store_retry_at) {
		w = s->store_retry_at - now;
	} else {
		if (s->ndone && s->first_done_at + TURN_DELAY_MS - now < w)
			w = s->first_done_at + TURN_DELAY_MS - now;
		if (s->need_claim && free_slots(s) > 0)
			w = free_slots(s) >= batch(s) ? 0 : (s->last_claim_at + TURN_DELAY_MS - now < w ?
							  s->last_claim_at + TURN_DELAY_MS - now : w);
		if (s->next_due >= 0 && s->next_due - now < w)
			w = s->next_due - now;
		if (s->cfg.keep_ms && s->prune_at - now < w)
			w = s->prune_at - now;
		if (s->cfg.metrics_file && s->metrics_at - now < w)
			w = s->metrics_at - now;
		if (s->beat_at && s->beat_at - now < w)
			w = s->beat_at - now;
	}
	return w < 0 ? 0 : (long)w;
}

/* Whether a front end committed since we last looked (a shared store):
 * then claim. */
static void heard(struct sender *s)
{
	long long v = store_work_version(s->st);

	if (v >= 0 && v != s->heard)
		s->need_claim = 1;
	s->heard = v;
}

/* The beat of a sender that shares its store (senders.h); a missed one
 * is tried at the next, before the lease of its claims runs out. */
static void beat(struct sender *s, long long now)
{
	char err[ERR_MAX];
	struct sbuf held;
	long long taken;
	size_t i;
	int rc;

	s->beat_at = now + SENDERS_BEAT_MS;
	/* The claims in flight here, which alone keep their lease. */
	sbuf_init(&held);
	sbuf_append(&held, "[");
	for (i = 0; i < s->nactive; i++)
		if (s->active[i]->job.id)
			sbuf_appendf(&held, "%s%lld", held.len > 1 ? "," : "", s->active[i]->job.id);
	for (i = 0; i < s->ndone; i++)
		if (s->done[i].t->job.id)
			sbuf_appendf(&held, "%s%lld", held.len > 1 ? "," : "", s->done[i].t->job.id);
	sbuf_append(&held, "]");
	rc = held.failed ? (err_oom(err, "the beat"), -1) :
		senders_beat(s->st, &s->me, sbuf_text(&held), (long long)s->nregular, (long long)last_minute(s), &taken,
			     err);
	sbuf_release(&held);
	if (rc < 0) {
		log_msg("cannot beat (%s); the others take this sender's claims over if it stays silent for %d s",
			err, SENDERS_LEASE_MS / 1000);
		return;
	}
	if (taken) {
		log_msg("%lld deliveries' claims ran out (their sender is gone, or lost them): sending them again",
			taken);
		s->need_claim = 1;
	}
}

/* The daily prune, one small transaction (prune.h) per turn that wrote
 * nothing else: a batch holds the store for milliseconds, and a lock held
 * by another process puts it off, never the queue. */
static void prune_turn(struct sender *s, long long now)
{
	char err[ERR_MAX];
	int done;

	if (prune_step(s->st, now - s->cfg.keep_ms, PRUNE_TURN_ROWS, &s->pruned, &done, err) < 0) {
		if (err_kind(err) != ERR_BUSY)
			log_msg("cannot prune the store (%s); trying again in an hour", err);
		s->prune_at = now + (err_kind(err) == ERR_BUSY ? PRUNE_PAUSE_MS : PRUNE_RETRY_MS);
		return;
	}
	if (!done) {
		s->prune_at = now + PRUNE_PAUSE_MS;
		return;
	}
	if (s->pruned.deliveries || s->pruned.events) {
		struct sbuf keep;

		sbuf_init(&keep);
		duration_format(&keep, s->cfg.keep_ms, DURATION_S | DURATION_M | DURATION_H | DURATION_D);
		log_msg("pruned what finished more than %s ago: deliveries %lld, attempts %lld, events %lld",
			keep.failed ? "--keep" : sbuf_text(&keep), s->pruned.deliveries, s->pruned.attempts,
			s->pruned.events);
		sbuf_release(&keep);
	}
	memset(&s->pruned, 0, sizeof s->pruned);
	s->prune_at = now + PRUNE_EVERY_MS;
}

static void shutdown_transfers(struct sender *s)
{
	struct job **jobs = calloc(s->nactive ? s->nactive : 1, sizeof *jobs);
	char err[ERR_MAX];
	size_t i, n = 0;

	for (i = 0; jobs && i < s->nactive; i++)
		if (!s->active[i]->job.is_test)
			jobs[n++] = &s->active[i]->job;
	if (n)
		log_msg("%zu deliveries did not finish in time: back to pending", n);
	if (jobs && queue_release(s->st, jobs, n, err) < 0)
		log_msg("cannot put deliveries back to pending (%s): the next start will", err);
	free(jobs);
	while (s->nactive > 0) {
		struct transfer *t = s->active[0];

		if (t->client >= 0)
			server_reply(s->srv, t->client, t->client_serial,
				     refuse("hookmand stopped before the test finished"));
		untrack(s, t);
		http_free(t, 0);
	}
}

int sender_run(struct sender *s, char *err)
{
	struct curl_waitfd fds[SERVER_CLIENTS + 3];
	int running, dbfd;

	log_msg("started: store %s, %zu requests at most (%zu per webhook)", s->cfg.store_dir,
		s->cfg.max_total, s->cfg.max_per_webhook);
	for (;;) {
		unsigned nfds = 0, i;
		long long now = now_ms();

		if (!s->store_retry_at || now >= s->store_retry_at) {
			int rec = want_record(s, now), cl = !s->store_retry_at && want_claim(s, now);

			if (s->store_retry_at)
				rec = s->ndone > 0;   /* the retry after a failed write */
			s->store_retry_at = 0;
			if (cl)
				s->last_claim_at = now;
			if (rec || cl)
				store_turn(s, rec, cl);
			else if (s->cfg.keep_ms && now >= s->prune_at && !s->stopping)
				prune_turn(s, now);
		}
		if (s->cfg.metrics_file && now >= s->metrics_at && !s->stopping)
			metrics_turn(s, now, 1);
		if (s->beat_at && now >= s->beat_at && !s->stopping)
			beat(s, now);
		if (s->stopping && (s->nactive == 0 || now >= s->stop_deadline))
			break;
		fds[nfds].fd = s->signal_fd;
		fds[nfds].events = CURL_WAIT_POLLIN;
		fds[nfds++].revents = 0;
		nfds += server_waitfds(s->srv, fds + nfds, SERVER_CLIENTS + 1);
		/* A shared store: another host's fire wakes us as a local one
		 * does through the control socket. */
		dbfd = store_wait_fd(s->st);
		if (dbfd >= 0) {
			fds[nfds].fd = dbfd;
			fds[nfds].events = CURL_WAIT_POLLIN;
			fds[nfds++].revents = 0;
			/* Notifications read along with the turn's answers wait
			 * in libpq, not on the socket: look before sleeping. */
			heard(s);
		}
		if (curl_multi_poll(s->multi, fds, nfds, (int)wait_ms(s), NULL) != CURLM_OK) {
			err_set(err, "libcurl's poll failed");
			return -1;
		}
		curl_multi_perform(s->multi, &running);
		collect(s);
		if (dbfd >= 0 && fds[nfds - 1].revents)
			heard(s);
		if (s->nactive == 0 && !s->stopping && !store_is_postgresql(s->st) &&
		    access(store_path(s->st), F_OK) < 0) {
			/* The store was deleted under us: nothing left to deliver. */
			log_msg("the store %s is gone: stopping", store_path(s->st));
			sender_signal(s, 'T');
		}
		if (fds[0].revents) {
			char sig[16];
			ssize_t n = read(s->signal_fd, sig, sizeof sig);

			for (i = 0; n > 0 && i < (unsigned)n; i++)
				sender_signal(s, sig[i]);
		}
		server_dispatch(s->srv, fds + 1, nfds - 1 - (dbfd >= 0));
	}
	/* Stopping: the last outcomes and the release of what is still in
	 * flight are worth waiting for a lock, as every other writer does. */
	store_set_busy_wait(s->st, STORE_BUSY_MS);
	if (s->ndone)
		store_turn(s, 1, 0);
	shutdown_transfers(s);
	if (s->beat_at && senders_stop(s->st, &s->me, err) < 0)
		log_msg("cannot record this sender's stop (%s): the others see it gone in %d s", err,
			SENDERS_LEASE_MS / 1000);
	if (s->cfg.metrics_file)
		metrics_turn(s, now_ms(), 0);
	log_msg("stopped: %lld delivered, %lld failed attempts since start", s->delivered, s->failed);
	return 0;
}

void sender_free(struct sender *s)
{
	if (!s)
		return;
	server_close(s->srv);
	if (s->multi)
		curl_multi_cleanup(s->multi);
	while (s->nidle > 0)
		curl_easy_cleanup(s->idle[--s->nidle]);
	free(s->idle);
	free(s->active);
	free(s->hooks);
	free(s->aside);
	free(s->aside_json);
	free(s->done);
	free(s);
}
