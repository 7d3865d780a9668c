/* The typed control client: requests built and replies read in one
 * place, with the names of control_proto.h, so front ends see C structs
 * and error kinds, never the protocol's JSON. */
#include "control.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "control_proto.h"
#include "err.h"
#include "linereader.h"
#include "webhook.h"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long jint(json_t *obj, const char *key)
{
	return (long long)json_integer_value(json_object_get(obj, key));
}

/* A copy of obj's string key, or of dflt (may be NULL) when there is
 * none; a failed copy sets *oom, so a parse checks memory once. */
static char *jstrdup(json_t *obj, const char *key, const char *dflt, int *oom)
{
	const char *v = json_string_value(json_object_get(obj, key));
	char *copy;

	if (!v)
		v = dflt;
	if (!v)
		return NULL;
	copy = strdup(v);
	if (!copy)
		*oom = 1;
	return copy;
}

/* Send a command without arguments and wait for its reply. */
static int call(const char *dir, const char *cmd, int timeout_ms, json_t **reply, char *err)
{
	json_t *req = json_pack("{s:s}", CONTROL_F_CMD, cmd);
	int rc;

	*reply = NULL;
	if (!req) {
		err_oom(err, "request");
		return -1;
	}
	rc = control_request(dir, req, reply, timeout_ms, err);
	json_decref(req);
	return rc;
}

static int read_failing(json_t *list, struct control_status *s, int *oom)
{
	json_t *w;
	size_t i;

	if (json_array_size(list) == 0)
		return 0;
	s->failing = calloc(json_array_size(list), sizeof *s->failing);
	if (!s->failing)
		return -1;
	json_array_foreach(list, i, w) {
		struct control_failing *f = &s->failing[s->nfailing++];

		f->name = jstrdup(w, CONTROL_F_NAME, "", oom);
		f->since = jint(w, CONTROL_F_SINCE);
		f->last_error = jstrdup(w, CONTROL_F_LAST_ERROR, NULL, oom);
		f->enabled = json_is_true(json_object_get(w, CONTROL_F_ENABLED));
		f->reason = jstrdup(w, CONTROL_F_REASON, NULL, oom);
	}
	return 0;
}

/* Fill s from status's reply, taking the reference. */
static int read_status(json_t *r, struct control_status *s, char *err)
{
	json_t *q = json_object_get(r, CONTROL_F_QUEUE), *t = json_object_get(r, CONTROL_F_TESTS);
	json_t *limits = json_object_get(r, CONTROL_F_LIMITS);
	int oom = 0;

	s->raw = r;
	s->pid = (long)jint(r, CONTROL_F_PID);
	s->started_at = jint(r, CONTROL_F_STARTED_AT);
	s->uptime_s = jint(r, CONTROL_F_UPTIME_S);
	s->inflight_now = jint(r, CONTROL_F_INFLIGHT);
	s->last_minute = jint(r, CONTROL_F_LAST_MINUTE);
	s->limit_total = jint(limits, CONTROL_F_LIMIT_TOTAL);
	s->limit_per_webhook = jint(limits, CONTROL_F_LIMIT_PER_WEBHOOK);
	s->deny_private = json_is_true(json_object_get(r, CONTROL_F_DENY_PRIVATE));
	s->pending = jint(q, CONTROL_F_PENDING);
	s->inflight = jint(q, CONTROL_F_INFLIGHT);
	s->failed = jint(q, CONTROL_F_FAILED);
	s->dead = jint(q, CONTROL_F_DEAD);
	s->delivered = jint(q, CONTROL_F_DELIVERED);
	s->tests_delivered = jint(t, CONTROL_F_DELIVERED);
	s->tests_failed = jint(t, CONTROL_F_FAILED) + jint(t, CONTROL_F_DEAD);
	s->queue_error = jstrdup(r, CONTROL_F_QUEUE_ERROR, NULL, &oom);
	s->store_error = jstrdup(r, CONTROL_F_STORE_ERROR, NULL, &oom);
	if (read_failing(json_object_get(r, CONTROL_F_FAILING), s, &oom) < 0 || oom) {
		control_status_clear(s);
		err_oom(err, "hookmand's status");
		return -1;
	}
	return 0;
}

int control_status(const char *dir, int timeout_ms, struct control_status *out, char *err)
{
	json_t *reply;

	memset(out, 0, sizeof *out);
	if (call(dir, CONTROL_CMD_STATUS, timeout_ms, &reply, err) < 0)
		return -1;
	return read_status(reply, out, err);
}

void control_status_clear(struct control_status *s)
{
	size_t i;

	for (i = 0; i < s->nfailing; i++) {
		free(s->failing[i].name);
		free(s->failing[i].last_error);
		free(s->failing[i].reason);
	}
	free(s->failing);
	free(s->queue_error);
	free(s->store_error);
	json_decref(s->raw);
	memset(s, 0, sizeof *s);
}

/* Wait up to timeout_ms for p's answer: 1 with *reply (a new reference),
 * or -1 with err. p is released either way. */
static int wait_reply(struct control_pending *p, int timeout_ms, json_t **reply, char *err)
{
	long long deadline = now_ms() + timeout_ms, left;
	int rc;

	while ((rc = control_check(p, reply, err)) == 0) {
		struct pollfd pfd = { p->fd, POLLIN, 0 };

		left = deadline - now_ms();
		if (left <= 0) {
			control_cancel(p);
			err_setk(err, ERR_UNAVAILABLE, "hookmand did not answer within %d ms", timeout_ms);
			return -1;
		}
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR) {
			control_cancel(p);
			err_set(err, "cannot wait for hookmand: %s", strerror(errno));
			return -1;
		}
	}
	return rc;
}

int control_wake_start(const char *dir, struct control_pending *p, char *err)
{
	json_t *req = json_pack("{s:s}", CONTROL_F_CMD, CONTROL_CMD_WAKE);
	int rc;

	if (!req) {
		memset(p, 0, sizeof *p);
		p->fd = -1;
		err_oom(err, "request");
		return -1;
	}
	rc = control_start(dir, req, p, err);
	json_decref(req);
	return rc;
}

int control_wake_finish(struct control_pending *p, int timeout_ms, char *store_error, char *err)
{
	json_t *reply;
	const char *found;

	if (store_error)
		store_error[0] = '\0';
	if (wait_reply(p, timeout_ms, &reply, err) < 0)
		return -1;
	found = json_string_value(json_object_get(reply, CONTROL_F_STORE_ERROR));
	if (store_error)
		snprintf(store_error, ERR_MAX, "%s", found ? found : "");
	json_decref(reply);
	return 0;
}

int control_wake(const char *dir, int timeout_ms, char *store_error, char *err)
{
	struct control_pending p;

	if (control_wake_start(dir, &p, err) < 0)
		return -1;
	return control_wake_finish(&p, timeout_ms, store_error, err);
}

int control_stop(const char *dir, int timeout_ms, long *pid, char *err)
{
	json_t *reply;

	if (call(dir, CONTROL_CMD_STOP, timeout_ms, &reply, err) < 0)
		return -1;
	if (pid)
		*pid = (long)jint(reply, CONTROL_F_PID);
	json_decref(reply);
	return 0;
}

/* Connect and send a test request, taking the reference to req (NULL:
 * memory ran out building it). */
static int start_test(const char *dir, json_t *req, struct control_pending *p, char *err)
{
	int rc;

	if (!req) {
		memset(p, 0, sizeof *p);
		p->fd = -1;
		err_oom(err, "test request");
		return -1;
	}
	rc = control_start(dir, req, p, err);
	json_decref(req);
	return rc;
}

int control_test_delivery(const char *dir, long long id, struct control_pending *p, char *err)
{
	return start_test(dir, json_pack("{s:s, s:I}", CONTROL_F_CMD, CONTROL_CMD_TEST, CONTROL_F_DELIVERY,
					 (json_int_t)id), p, err);
}

/* The settings a test of wh needs, with the rendered body; NULL when
 * memory ran out. (json_object_set_new takes the value even when it
 * fails, so nothing leaks on the way.) */
static json_t *spec_of(const struct webhook *wh, const char *body)
{
	json_t *spec = json_object(), *headers = json_array();
	size_t i;
	int bad = json_object_set_new(spec, CONTROL_F_HEADERS, headers) < 0;

	for (i = 0; !bad && i < wh->nheaders; i++)
		bad = json_array_append_new(headers, json_string(wh->headers[i])) < 0;
	bad = bad || json_object_set_new(spec, CONTROL_F_URL, json_string(wh->url)) < 0 ||
	      json_object_set_new(spec, CONTROL_F_BODY, json_string(body)) < 0 ||
	      json_object_set_new(spec, CONTROL_F_VERIFY_TLS, json_boolean(wh->verify_tls)) < 0 ||
	      json_object_set_new(spec, CONTROL_F_TIMEOUT, json_integer(wh->timeout)) < 0 ||
	      (wh->secret && json_object_set_new(spec, CONTROL_F_SECRET, json_string(wh->secret)) < 0);
	if (bad) {
		json_decref(spec);
		return NULL;
	}
	return spec;
}

int control_test_spec(const char *dir, const struct webhook *wh, const char *body, struct control_pending *p,
		      char *err)
{
	json_t *req = json_object();

	if (json_object_set_new(req, CONTROL_F_CMD, json_string(CONTROL_CMD_TEST)) < 0 ||
	    json_object_set_new(req, CONTROL_F_SPEC, spec_of(wh, body)) < 0) {
		json_decref(req);
		req = NULL;
	}
	return start_test(dir, req, p, err);
}

/* Fill r from a test's reply, taking the reference. */
static int read_test(json_t *reply, struct control_test_result *r, char *err)
{
	json_t *status = json_object_get(reply, CONTROL_F_STATUS);
	int oom = 0;

	r->raw = reply;
	r->id = jstrdup(reply, CONTROL_F_ID, NULL, &oom);
	r->has_status = json_is_integer(status);
	r->status = (long)json_integer_value(status);
	r->duration_ms = jint(reply, CONTROL_F_DURATION_MS);
	r->response_size = jint(reply, CONTROL_F_RESPONSE_SIZE);
	r->error = jstrdup(reply, CONTROL_F_ERROR, NULL, &oom);
	r->request_headers = jstrdup(reply, CONTROL_F_REQUEST_HEADERS, NULL, &oom);
	r->response_headers = jstrdup(reply, CONTROL_F_RESPONSE_HEADERS, NULL, &oom);
	r->response_body = jstrdup(reply, CONTROL_F_RESPONSE_BODY, NULL, &oom);
	if (oom) {
		control_test_result_clear(r);
		err_oom(err, "the test's result");
		return -1;
	}
	return 0;
}

int control_test_check(struct control_pending *p, struct control_test_result *out, char *err)
{
	json_t *reply;
	int rc;

	memset(out, 0, sizeof *out);
	rc = control_check(p, &reply, err);
	if (rc != 1)
		return rc;
	return read_test(reply, out, err) < 0 ? -1 : 1;
}

int control_test_wait(struct control_pending *p, int timeout_ms, struct control_test_result *out, char *err)
{
	json_t *reply;

	memset(out, 0, sizeof *out);
	if (wait_reply(p, timeout_ms, &reply, err) < 0)
		return -1;
	return read_test(reply, out, err);
}

void control_test_result_clear(struct control_test_result *r)
{
	free(r->id);
	free(r->error);
	free(r->request_headers);
	free(r->response_headers);
	free(r->response_body);
	json_decref(r->raw);
	memset(r, 0, sizeof *r);
}

/* Wait up to timeout_ms for follow's acceptance on f's lines (read
 * there, so that an attempt announced right after it stays in f's
 * buffer). 0, or -1 with err. */
static int follow_accepted(struct control_follower *f, int timeout_ms, char *err)
{
	long long deadline = now_ms() + timeout_ms, left;
	const char *line, *why;
	size_t len;
	json_t *reply;
	int rc;

	while ((rc = linereader_next(f->lines, &line, &len, 0)) == LINEREADER_WAIT) {
		struct pollfd pfd = { f->fd, POLLIN, 0 };

		left = deadline - now_ms();
		if (left <= 0) {
			err_setk(err, ERR_UNAVAILABLE, "hookmand did not answer within %d ms", timeout_ms);
			return -1;
		}
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR) {
			err_set(err, "cannot wait for hookmand: %s", strerror(errno));
			return -1;
		}
	}
	if (rc != LINEREADER_LINE) {
		err_setk(err, ERR_UNAVAILABLE, "hookmand closed the connection without answering");
		return -1;
	}
	reply = json_loadb(line, len, 0, NULL);
	if (!json_is_object(reply)) {
		json_decref(reply);
		err_set(err, "hookmand's answer is not a JSON object");
		return -1;
	}
	if (!json_is_true(json_object_get(reply, CONTROL_F_OK))) {
		why = json_string_value(json_object_get(reply, CONTROL_F_ERROR));
		err_setk(err, ERR_INVALID, "%s", why ? why : "hookmand refused to be followed");
		json_decref(reply);
		return -1;
	}
	json_decref(reply);
	return 0;
}

int control_follow(const char *dir, struct control_follower *f, int timeout_ms, char *err)
{
	json_t *req = json_pack("{s:s}", CONTROL_F_CMD, CONTROL_CMD_FOLLOW);
	struct control_pending p;
	int rc;

	f->fd = -1;
	f->lines = NULL;
	if (!req) {
		err_oom(err, "request");
		return -1;
	}
	rc = control_start(dir, req, &p, err);
	json_decref(req);
	if (rc < 0)
		return -1;
	f->fd = p.fd;   /* p has read nothing: its descriptor is all it holds */
	f->lines = malloc(sizeof *f->lines);
	if (!f->lines) {
		control_follow_close(f);
		err_oom(err, "follower");
		return -1;
	}
	linereader_init(f->lines, f->fd, CONTROL_LINE_MAX);
	if (follow_accepted(f, timeout_ms, err) < 0) {
		control_follow_close(f);
		return -1;
	}
	return 0;
}

int control_attempt_parse(const char *line, size_t len, struct control_attempt *out, char *err)
{
	json_t *o = json_loadb(line, len, 0, NULL), *status;
	int oom = 0;

	memset(out, 0, sizeof *out);
	if (!json_is_object(o)) {
		json_decref(o);
		err_set(err, "hookmand announced an attempt that is not a JSON object");
		return -1;
	}
	status = json_object_get(o, CONTROL_F_STATUS);
	out->id = jstrdup(o, CONTROL_F_ID, NULL, &oom);
	out->webhook = jstrdup(o, CONTROL_F_WEBHOOK, NULL, &oom);
	out->has_status = json_is_integer(status);
	out->status = (long)json_integer_value(status);
	out->error = jstrdup(o, CONTROL_F_ERROR, NULL, &oom);
	out->started_at = jint(o, CONTROL_F_STARTED_AT);
	out->duration_ms = jint(o, CONTROL_F_DURATION_MS);
	out->attempt = jint(o, CONTROL_F_ATTEMPT);
	out->result = jstrdup(o, CONTROL_F_RESULT, NULL, &oom);
	out->next_ms = jint(o, CONTROL_F_NEXT_MS);
	json_decref(o);
	if (oom) {
		control_attempt_clear(out);
		err_oom(err, "announced attempt");
		return -1;
	}
	return 0;
}

void control_attempt_clear(struct control_attempt *a)
{
	free(a->id);
	free(a->webhook);
	free(a->error);
	free(a->result);
	memset(a, 0, sizeof *a);
}

int control_follow_read(struct control_follower *f, struct control_attempt *out, char *err)
{
	const char *line;
	size_t len;
	int rc;

	memset(out, 0, sizeof *out);
	for (;;) {
		if (f->fd < 0) {
			err_setk(err, ERR_UNAVAILABLE, "not following hookmand");
			return -1;
		}
		rc = linereader_next(f->lines, &line, &len, 0);
		if (rc == LINEREADER_WAIT)
			return 0;
		if (rc != LINEREADER_LINE) {
			control_follow_close(f);
			err_setk(err, ERR_UNAVAILABLE, "hookmand stopped announcing attempts");
			return -1;
		}
		/* A line cut short is the last a follower dropped for being
		 * slow receives: skipped, the end of the stream follows. */
		if (control_attempt_parse(line, len, out, err) == 0)
			return 1;
		if (err_kind(err) == ERR_NOMEM)
			return -1;
	}
}

void control_follow_close(struct control_follower *f)
{
	if (f->lines) {
		linereader_free(f->lines);
		free(f->lines);
	}
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	f->lines = NULL;
}
