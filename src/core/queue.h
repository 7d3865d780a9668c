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
	long long id;              /* delivery row */
	char uid[RANDID_MAX];      /* webhook-id header */
	long long webhook_id;
	char *webhook_name;
	char *body;
	size_t body_len;
	int attempts;              /* attempts before this one */
	int step;                  /* retries used in the current schedule */
	int is_test;
	char *url;
	char *secret;              /* NULL when unsigned */
	char **headers;            /* "Name: value" */
	size_t nheaders;
	int verify_tls;
	int timeout;               /* seconds */
	int webhook_failing;       /* the webhook had failures when claimed */
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

struct queue_policy {
	struct retry_schedule schedule;
	long long disable_after_ms;   /* disable a webhook failing this long; 0: never */
};

void queue_policy_default(struct queue_policy *p);

/* Deliveries left in flight by a sender that died go back to pending.
 * *n (may be NULL) receives how many. */
int queue_recover(struct store *st, long long *n, char *err);

/* Decide whether a job may start now, given how many of its webhook's
 * deliveries are in flight; the sender counts what it admits. */
typedef int (*queue_admit_fn)(void *ctx, long long webhook_id);

/* Claim up to max due deliveries of enabled webhooks (fresh ones first,
 * then retries, each oldest first) that admit() accepts, marking them
 * in flight, in one transaction (the caller's, when one is open). *jobs is an array the caller frees with
 * queue_jobs_free(). */
int queue_claim(struct store *st, long long now, size_t max, queue_admit_fn admit, void *ctx,
		struct job **jobs, size_t *n, char *err);
void queue_jobs_free(struct job *jobs, size_t n);

/* Load one delivery (a test) as a job, whatever its state. */
int queue_load(struct store *st, long long delivery_id, struct job *job, char *err);

/* The verdict for an outcome: 2xx delivered; a test is never retried;
 * otherwise retried on the schedule (or after Retry-After on 429/503,
 * capped at 1 h) until it runs out. *next_ms receives the delay. rnd
 * supplies the jitter. */
enum verdict queue_decide(const struct queue_policy *p, const struct job *j,
			  const struct outcome *o, unsigned rnd, long long *next_ms);

/* Record the outcomes of n jobs in one transaction (the caller's, when one
 * is open): an attempt row each,
 * the delivery's new state, and the webhook's health (a 410 disables it at
 * once; failing for policy->disable_after_ms disables it too, with the
 * reason). verdicts (may be NULL) receives each decision. */
int queue_finish(struct store *st, const struct queue_policy *p, struct job *const *jobs,
		 const struct outcome *outs, size_t n, enum verdict *verdicts, char *err);

/* Put in-flight deliveries of these jobs back to pending (a sender
 * stopping before they completed). */
int queue_release(struct store *st, struct job *const *jobs, size_t n, char *err);

/* When the next delivery of an enabled webhook is due (unix ms), or -1
 * when nothing waits. */
int queue_next_due(struct store *st, long long *when, char *err);

#endif
