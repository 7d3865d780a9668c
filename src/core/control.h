/* Talking to hookmand over DIR/hookmand.sock: one JSON object per line
 * each way (the names in control_proto.h). Also starting hookmand when
 * none runs for a store, the way tmux's client starts its server: connect;
 * on failure spawn the daemon, which takes the store's lock (so two starts
 * still give one daemon), and connect again until it answers.
 *
 * Every failure here carries a kind: ERR_UNAVAILABLE when no hookmand
 * answers (no socket, nobody listening, no answer in time, the connection
 * closed, a daemon that cannot start), ERR_INVALID when hookmand refused
 * the request ({"ok": false, "error": …}: its sentence in err), ERR_NOMEM;
 * ERR_OTHER for the rest (an answer that is no JSON object). */
#ifndef HOOKMAN_CONTROL_H
#define HOOKMAN_CONTROL_H

#include <jansson.h>
#include <stddef.h>

#define CONTROL_SOCKET "hookmand.sock"
#define CONTROL_LOCK "hookmand.lock"
#define CONTROL_LINE_MAX (1024 * 1024)

/* DIR/hookmand.sock into out. -1 with err when the path does not fit in a
 * Unix socket address. */
int control_socket_path(const char *dir, char *out, size_t size, char *err);

/* Connect to the daemon of the store in dir. Returns a descriptor, or -1
 * with err set (ERR_UNAVAILABLE when the connection failed); *absent (may
 * be NULL) is set when no daemon listens (no socket, or a stale one), as
 * opposed to another failure. */
int control_connect(const char *dir, int *absent, char *err);

/* Send req (a JSON object) on fd and wait up to timeout_ms for the reply
 * line. *reply receives a new reference, NULL on failure. A reply
 * {"ok": false, "error": …} is returned as -1 with err set to its error. */
int control_call(int fd, json_t *req, json_t **reply, int timeout_ms, char *err);

/* A request whose answer is awaited without blocking (a test send while
 * the screen stays live). */
struct control_pending {
	int fd;             /* -1 when none */
	char *buf;
	size_t len, cap;
};

/* Connect and send req; the answer is collected by control_check. 0 or
 * -1 with err (p->fd stays -1). */
int control_start(const char *dir, json_t *req, struct control_pending *p, char *err);

/* Read what arrived: 1 with *reply (new reference) when the answer is
 * complete, 0 while waiting, -1 with err when the connection failed or
 * the daemon refused (then p is released). */
int control_check(struct control_pending *p, json_t **reply, char *err);

/* Stop waiting and release p. */
void control_cancel(struct control_pending *p);

/* Connect, call, close. */
int control_request(const char *dir, json_t *req, json_t **reply, int timeout_ms, char *err);

/* Make sure a daemon runs in the run directory dir (storedir.h) for
 * store: connect, or spawn hookmand_path (detached, on that store and
 * run directory) and wait up to timeout_ms for it to answer. *started
 * (may be NULL) tells whether this call started it. */
int control_ensure(const char *dir, const char *store, const char *hookmand_path, int timeout_ms, int *started,
		   char *err);

/* The pid written in DIR/hookmand.lock, or 0. */
long control_lock_pid(const char *dir);

/* The typed client. Every front end talks to hookmand through these; the
 * command names and reply fields live in control_proto.h, which hookmand's
 * dispatcher uses too. Errors: ERR_UNAVAILABLE when no hookmand answers
 * for dir (not running, or no answer within the time), ERR_INVALID when
 * hookmand refused the request (its sentence in err), ERR_NOMEM. */

/* One failing webhook as hookmand reports it. */
struct control_failing {
	char *name;              /* never NULL */
	long long since;         /* ms since the epoch, 0 when unknown */
	char *last_error;        /* NULL when none */
	int enabled;
	char *reason;            /* why it was disabled, NULL when by hand or enabled */
};

/* hookmand's state (the "status" command). */
struct control_status {
	long pid;
	long long started_at, uptime_s;
	long long inflight_now, last_minute;
	long long limit_total, limit_per_webhook;
	int deny_private;
	/* The queue, from the store. */
	long long pending, inflight, failed, dead, delivered;
	long long tests_delivered, tests_failed;   /* failed: failed and dead (tests are never retried) */
	char *queue_error;       /* the queue could not be counted: why; NULL when it was */
	char *store_error;       /* hookmand's STORE ERROR, NULL when none */
	struct control_failing *failing;
	size_t nfailing;
	json_t *raw;             /* the reply as received, for --json */
};

/* Ask hookmand for its state. 0, or -1 with err (ERR_UNAVAILABLE when it
 * is not running). out is zeroed first and owns what it holds: release it
 * with control_status_clear (harmless after a failure). A field hookmand
 * did not send reads 0 (or NULL). */
int control_status(const char *dir, int timeout_ms, struct control_status *out, char *err);
void control_status_clear(struct control_status *s);

/* Tell hookmand to look at the queue now. 0 when it answered: store_error
 * (ERR_MAX bytes, may be NULL) then holds its STORE ERROR, or "" when it
 * has none. -1 with err otherwise (ERR_UNAVAILABLE: not running). */
int control_wake(const char *dir, int timeout_ms, char *store_error, char *err);

/* The same in two halves, so that the caller need not wait for the
 * answer before going on (hookman fire: the deliveries start while it
 * prints and closes the store). control_wake_start connects and sends the
 * wake: 0, or -1 with err (ERR_UNAVAILABLE: not running; p->fd stays -1).
 * control_wake_finish collects the answer, waiting up to timeout_ms for
 * it, and releases p: as control_wake's. */
int control_wake_start(const char *dir, struct control_pending *p, char *err);
int control_wake_finish(struct control_pending *p, int timeout_ms, char *store_error, char *err);

/* Ask hookmand to stop; *pid (may be NULL) receives its pid. It is gone
 * once control_connect fails. 0 or -1 with err. */
int control_stop(const char *dir, int timeout_ms, long *pid, char *err);

/* Start a test send without waiting for it: of the stored test delivery
 * id (made by fanout_test), or of a webhook not saved (wh's URL, secret,
 * headers, TLS check and timeout, with the rendered body). The answer is
 * collected with control_test_check or control_test_wait. 0, or -1 with
 * err (p->fd stays -1). */
struct webhook;
int control_test_delivery(const char *dir, long long id, struct control_pending *p, char *err);
int control_test_spec(const char *dir, const struct webhook *wh, const char *body, struct control_pending *p,
		      char *err);

/* What a test send got. Strings are owned (NULL when absent). */
struct control_test_result {
	char *id;                /* the test delivery's msg_ id */
	int has_status;          /* an HTTP answer came */
	long status;
	long long duration_ms, response_size;
	char *error;             /* libcurl's or hookmand's words, NULL when none */
	char *request_headers, *response_headers, *response_body;
	json_t *raw;             /* the reply as received, for --json */
};

/* Collect a test's answer without blocking: 1 with *out filled (release
 * with control_test_result_clear; out is zeroed first, so clearing is
 * harmless otherwise too), 0 while waiting, -1 with err (ERR_INVALID when
 * hookmand refused the test). p is released unless 0 is returned. */
int control_test_check(struct control_pending *p, struct control_test_result *out, char *err);

/* Wait up to timeout_ms for it (the CLI). 0 with *out, or -1 with err
 * (ERR_UNAVAILABLE when no answer came in time). p is released either
 * way. */
int control_test_wait(struct control_pending *p, int timeout_ms, struct control_test_result *out, char *err);
void control_test_result_clear(struct control_test_result *r);

/* Following hookmand's attempts as it records them ("follow"). A
 * follower that does not read fast enough is dropped by hookmand, never
 * waited for: the lines are news, the store is the record. */
struct control_follower {
	int fd;                  /* -1 when not connected */
	struct linereader *lines;
};

/* One attempt as hookmand announced it. Strings are owned (NULL when
 * absent). */
struct control_attempt {
	char *id;                /* the delivery's msg_ id */
	char *webhook;
	int has_status;
	long status;
	char *error;
	long long started_at, duration_ms, attempt;
	char *result;            /* CONTROL_RESULT_DELIVERED, _RETRY or _DEAD */
	long long next_ms;       /* the wait before the next attempt (retry), else 0 */
};

/* Connect to the hookmand of dir and follow, waiting up to timeout_ms for
 * it to accept. 0, or -1 with err (ERR_UNAVAILABLE: none runs; ERR_INVALID:
 * it refused, e.g. too many followers); f->fd is -1 then. */
int control_follow(const char *dir, struct control_follower *f, int timeout_ms, char *err);

/* The next announced attempt, without waiting: 1 with *out (release with
 * control_attempt_clear), 0 when none is complete yet (poll f->fd), -1
 * with err when the connection ended (ERR_UNAVAILABLE: hookmand stopped or
 * dropped this follower; then f is closed) or memory ran out. */
int control_follow_read(struct control_follower *f, struct control_attempt *out, char *err);

/* Parse one announced line into *out (zeroed first): 0, or -1 with err
 * (ERR_OTHER when it is no JSON object). */
int control_attempt_parse(const char *line, size_t len, struct control_attempt *out, char *err);
void control_attempt_clear(struct control_attempt *a);

/* Stop following (harmless when not connected). */
void control_follow_close(struct control_follower *f);

#endif
