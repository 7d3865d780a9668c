/* The delivery queue as the sender sees it: claim what is due, record what
 * happened, decide what comes next. All decisions about states, retries
 * and webhook health live here, in plain C the tests drive directly. */
#ifndef HOOKMAN_QUEUE_H
#define HOOKMAN_QUEUE_H

#include "randid.h"
#include "retry.h"
#include "store.h"

/* A delivery claimed for sending, with the webhook's settings as they are
 * now (a fixed URL rescues deliveries waiting for a retry). */
struct job {
	long long id;              /* delivery row (ids are never reused) */
	char uid[RANDID_MAX];      /* webhook-id header; its outcome is matched by it */
	long long webhook_id;
	char *webhook_name;
	char *body;
	size_t body_len;
	int attempts;              /* attempts before this one */
	int step;                  /* retries used in the current schedule */
	long long first_attempt_at; /* unix ms of the first attempt of this schedule, 0 before */
	int waits;                 /* Retry-After waits taken without a step */
	int is_test;
	char *url;
	char *secret;              /* NULL when unsigned */
	char *secret_previous;     /* also signs until secret_previous_until; or NULL */
	long long secret_previous_until; /* unix ms */
	char **headers;            /* "Name: value" */
	size_t nheaders;
	int verify_tls;
	int timeout;               /* seconds */
	int webhook_failing;       /* the webhook had failures when claimed */
	long long retry_ms[RETRY_OWN_STEPS]; /* the webhook's own retry delays */
	size_t nretry;             /* 0: the policy's schedule */
};

void queue_job_free(struct job *j);

/* What one attempt gave. The sender fills it; queue_finish decides. */
struct outcome {
	long long started_at;      /* unix ms */
	long long duration_ms;
	int status;                /* HTTP status, 0 when none came back */
	const char *error;         /* transport error or failure cause, or NULL */
	const char *request_headers;
	const char *response_headers;
	const char *response_body; /* capped */
	size_t response_len;
	long long response_size;   /* bytes the receiver sent */
	long long retry_after_ms;  /* from a Retry-After header, -1 when none */
	int timed_out;             /* no answer within the request's timeout */
};

/* Where a delivery went after an attempt. */
enum verdict { VERDICT_DELIVERED, VERDICT_RETRY, VERDICT_DEAD };

/* The verdict and what follows from it. */
struct decision {
	enum verdict verdict;
	long long next_ms;         /* VERDICT_RETRY: wait this long */
	int step;                  /* 1 when the retry uses a step of the schedule */
	int wait;                  /* 1 when it is a Retry-After wait without a step */
	const char *why;           /* VERDICT_DEAD: why no retry is left (static text) */
};

struct queue_policy {
	struct retry_schedule schedule;
	long long disable_after_ms;   /* disable a webhook failing this long; 0: never */
};

void queue_policy_default(struct queue_policy *p);

/* Deliveries left in flight by a sender that died go back to pending.
 * *n (may be NULL) receives how many. */
int queue_recover(struct store *st, long long *n, char *err);

/* A delivery the store refused to claim or to record (a row that makes its
 * statement fail): set aside so that it cannot hold up the others. */
struct queue_aside {
	long long id;
	char uid[RANDID_MAX];
	char why[ERR_MAX];
};

/* What the sender lets a webhook start now, asked once per claim. */
struct queue_room {
	int rate_n;                /* in: the webhook's rate as stored now, n per ms; 0: none */
	long long rate_ms;
	size_t room;               /* out: more of its deliveries that may start */
	size_t reserve;            /* out: how many of those may take the slots kept in reserve */
};
typedef void (*queue_room_fn)(void *ctx, long long webhook_id, struct queue_room *r);

struct queue_claim {
	/* in */
	long long now;
	size_t max;                /* free slots */
	size_t reserved;           /* of those, the last ones: only for webhooks whose room says reserve */
	queue_room_fn room;        /* NULL: every webhook may take any number */
	void *ctx;
	const char *skip;          /* JSON array of delivery ids never to claim, or NULL */
	/* in and out: round robin resumes after this webhook id */
	long long cursor;
	/* out */
	struct job *jobs;          /* n claimed, caller frees with queue_jobs_free() */
	size_t n;
	struct queue_aside *aside; /* naside refused by the store, caller frees */
	size_t naside;
	long long next_due;        /* earliest due time after now of an enabled webhook, or end of a
				    * hold (holds.h), -1: none */
	int more;                  /* due deliveries were left for want of a slot or room */
};

/* Claim up to c->max due deliveries of enabled webhooks, marking them in
 * flight, in one transaction (the caller's, when one is open). Deliveries
 * of a held webhook or of a held event type (holds.h) stay queued. Fair across
 * webhooks: each webhook with due deliveries and room gets one slot per
 * round, rounds starting after c->cursor, until the slots run out; within
 * a webhook, fresh deliveries first, then retries, each oldest first. Reads
 * one index entry per webhook with queued deliveries plus the rows it
 * claims: a disabled webhook's backlog or one at its limit costs nothing.
 * A row whose marking fails for a reason of its own is set aside (c->aside)
 * and the claim goes on; an error of the whole store fails the call. */
int queue_claim(struct store *st, struct queue_claim *c, char *err);
void queue_claim_clear(struct queue_claim *c);
void queue_jobs_free(struct job *jobs, size_t n);

/* Load one delivery (a test) as a job, whatever its state; ERR_NOT_FOUND
 * when there is none. */
int queue_load(struct store *st, long long delivery_id, struct job *job, char *err);

/* The decision for an outcome: 2xx delivered; a test is never retried; a
 * 429/503 with Retry-After waits as asked (at least 1 s, at most 1 h)
 * without using a step of the schedule while the schedule's span since
 * the first attempt allows, QUEUE_FREE_WAITS times at most, and using one
 * after that; otherwise the next step of the schedule, until it runs out.
 * The schedule is the webhook's own when the job has one (with the
 * policy's jitter), else the policy's. rnd supplies the jitter. */
#define QUEUE_FREE_WAITS 100
#define QUEUE_WAIT_MIN_MS 1000
void queue_decide(const struct queue_policy *p, const struct job *j, const struct outcome *o,
		  unsigned rnd, struct decision *d);

/* How an outcome was taken by the store. */
enum queue_fate {
	QUEUE_RECORDED,            /* attempt, delivery and webhook health written */
	QUEUE_GONE,                /* its delivery was deleted or is no longer in flight: dropped */
	QUEUE_ASIDE,               /* the store refused this row: dropped, why says it */
};

struct queue_result {
	struct decision decision;
	enum queue_fate fate;
	char why[ERR_MAX];         /* QUEUE_GONE, QUEUE_ASIDE: in words */
};

/* Record the outcomes of n jobs in one transaction (the caller's, when one
 * is open), each matched to its claim by the delivery's uid while it is in
 * flight, never by a bare row id: an attempt row each, the delivery's new
 * state, and the webhook's health when it still has the URL the request
 * went to (a 410 disables it at once; failing for policy->disable_after_ms
 * disables it too, with the reason). An outcome whose delivery is gone is
 * dropped (QUEUE_GONE); one whose row the store refuses is rolled back on
 * its own and dropped (QUEUE_ASIDE), so no single row holds up the batch.
 * -1 only for an error of the whole store (a full disk, a lock, I/O):
 * then nothing was written. res receives n results. */
int queue_finish(struct store *st, const struct queue_policy *p, struct job *const *jobs,
		 const struct outcome *outs, size_t n, struct queue_result *res, char *err);

/* Put in-flight deliveries of these jobs back to pending (a sender
 * stopping before they completed). */
int queue_release(struct store *st, struct job *const *jobs, size_t n, char *err);

#endif
