/* The typed control client against a fake hookmand: a thread listening on
 * DIR/hookmand.sock takes one request line and answers a canned one. The
 * answers are written out by hand here, not with control_proto.h, so a
 * field renamed on one side only shows as a failure. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "err.h"
#include "testutil.h"
#include "webhook.h"

#define PATIENCE_MS 5000   /* the longest anything here waits for the other side */

struct fake {
	char dir[512];
	int lfd;
	/* The reply line (without its newline); "" closes without a word,
	 * NULL holds the connection open until the client gives up. */
	const char *answer;
	int gate[2];       /* gated: the answer waits for a byte on gate[0] */
	char got[4096];    /* the request line received */
	const char *trouble;/* what went wrong in the thread, NULL when nothing */
	pthread_t thread;
};

static int readable(int fd)
{
	struct pollfd pfd = { fd, POLLIN, 0 };

	return poll(&pfd, 1, PATIENCE_MS) == 1;
}

/* No Check assertions in the thread: it says what went wrong in
 * f->trouble, and the test looks after joining it. */
static void *serve(void *arg)
{
	struct fake *f = arg;
	size_t len = 0;
	char c;
	int fd;

	f->trouble = "no client came";
	if (!readable(f->lfd) || (fd = accept(f->lfd, NULL, NULL)) < 0)
		return NULL;
	while (len + 1 < sizeof f->got && readable(fd) && recv(fd, &f->got[len], 1, 0) == 1 && f->got[len] != '\n')
		len++;
	f->got[len] = '\0';
	f->trouble = NULL;
	if (f->gate[0] >= 0 && (!readable(f->gate[0]) || read(f->gate[0], &c, 1) != 1))
		f->trouble = "the gate never opened";
	else if (!f->answer)
		while (readable(fd) && recv(fd, &c, 1, 0) > 0)
			;
	else if (*f->answer && (send(fd, f->answer, strlen(f->answer), MSG_NOSIGNAL) < 0 ||
				send(fd, "\n", 1, MSG_NOSIGNAL) < 0))
		f->trouble = "cannot answer";
	close(fd);
	return NULL;
}

/* Listen before the client can connect, so nothing races. */
static void fake_start(struct fake *f, const char *answer, int gated)
{
	struct sockaddr_un sa;
	char err[ERR_MAX];

	memset(f, 0, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "%s", tu_tmpdir());
	f->answer = answer;
	f->gate[0] = f->gate[1] = -1;
	if (gated)
		ck_assert_int_eq(pipe(f->gate), 0);
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	ck_assert_int_eq(control_socket_path(f->dir, sa.sun_path, sizeof sa.sun_path, err), 0);
	f->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(f->lfd, 0);
	ck_assert_int_eq(bind(f->lfd, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(f->lfd, 1), 0);
	ck_assert_int_eq(pthread_create(&f->thread, NULL, serve, f), 0);
}

static void fake_open_gate(struct fake *f)
{
	ck_assert_int_eq(write(f->gate[1], "x", 1), 1);
}

/* Wait for the thread; the request it got, parsed (the caller decrefs). */
static json_t *fake_stop(struct fake *f)
{
	json_t *req;

	pthread_join(f->thread, NULL);
	ck_assert_msg(f->trouble == NULL, "the fake hookmand: %s", f->trouble);
	close(f->lfd);
	if (f->gate[0] >= 0) {
		close(f->gate[0]);
		close(f->gate[1]);
	}
	tu_rmtree(f->dir);
	req = json_loads(f->got, 0, NULL);
	ck_assert_msg(json_is_object(req), "the request is no JSON object: %s", f->got);
	return req;
}

static void expect_cmd(json_t *req, const char *cmd)
{
	ck_assert_str_eq(json_string_value(json_object_get(req, "cmd")), cmd);
}

START_TEST(status_is_parsed)
{
	struct fake f;
	struct control_status s;
	char err[ERR_MAX];
	json_t *req;

	fake_start(&f, "{\"ok\":true,\"pid\":4242,\"started_at\":1700000000000,\"uptime_s\":75,\"inflight\":3,"
		   "\"last_minute\":12,\"delivered\":40,\"failed\":2,\"limits\":{\"total\":64,\"per_webhook\":8},"
		   "\"deny_private\":true,\"queue\":{\"pending\":5,\"inflight\":4,\"failed\":1,\"dead\":2,\"delivered\":40},"
		   "\"tests\":{\"pending\":0,\"inflight\":0,\"failed\":1,\"dead\":2,\"delivered\":7},"
		   "\"failing\":[{\"name\":\"gone\",\"since\":1700000001000,\"enabled\":false,"
		   "\"reason\":\"the receiver answered 410 Gone\",\"last_error\":\"HTTP 410\"},"
		   "{\"name\":\"slow\",\"enabled\":true}],\"store_error\":\"the disk is full\"}", 0);
	ck_assert_int_eq(control_status(f.dir, PATIENCE_MS, &s, err), 0);
	req = fake_stop(&f);
	expect_cmd(req, "status");
	json_decref(req);
	ck_assert_int_eq(s.pid, 4242);
	ck_assert_int_eq(s.started_at, 1700000000000LL);
	ck_assert_int_eq(s.uptime_s, 75);
	ck_assert_int_eq(s.inflight_now, 3);
	ck_assert_int_eq(s.last_minute, 12);
	ck_assert_int_eq(s.limit_total, 64);
	ck_assert_int_eq(s.limit_per_webhook, 8);
	ck_assert_int_eq(s.deny_private, 1);
	ck_assert_int_eq(s.pending, 5);
	ck_assert_int_eq(s.inflight, 4);
	ck_assert_int_eq(s.failed, 1);
	ck_assert_int_eq(s.dead, 2);
	ck_assert_int_eq(s.delivered, 40);
	ck_assert_int_eq(s.tests_delivered, 7);
	ck_assert_int_eq(s.tests_failed, 3);   /* failed and dead: a test is never retried */
	ck_assert_ptr_null(s.queue_error);
	ck_assert_str_eq(s.store_error, "the disk is full");
	ck_assert_uint_eq(s.nfailing, 2);
	ck_assert_str_eq(s.failing[0].name, "gone");
	ck_assert_int_eq(s.failing[0].since, 1700000001000LL);
	ck_assert_int_eq(s.failing[0].enabled, 0);
	ck_assert_str_eq(s.failing[0].reason, "the receiver answered 410 Gone");
	ck_assert_str_eq(s.failing[0].last_error, "HTTP 410");
	ck_assert_str_eq(s.failing[1].name, "slow");
	ck_assert_int_eq(s.failing[1].since, 0);
	ck_assert_int_eq(s.failing[1].enabled, 1);
	ck_assert_ptr_null(s.failing[1].reason);
	ck_assert_ptr_null(s.failing[1].last_error);
	/* The reply as received, for --json. */
	ck_assert_int_eq(json_integer_value(json_object_get(s.raw, "uptime_s")), 75);
	control_status_clear(&s);
	ck_assert_ptr_null(s.raw);
	control_status_clear(&s);   /* twice is harmless */
}
END_TEST

/* What hookmand leaves out reads 0 or NULL. */
START_TEST(status_without_queue)
{
	struct fake f;
	struct control_status s;
	char err[ERR_MAX];

	fake_start(&f, "{\"ok\":true,\"pid\":7,\"queue_error\":\"cannot read the queue: disk I/O error\","
		   "\"store_error\":null}", 0);
	ck_assert_int_eq(control_status(f.dir, PATIENCE_MS, &s, err), 0);
	json_decref(fake_stop(&f));
	ck_assert_int_eq(s.pid, 7);
	ck_assert_str_eq(s.queue_error, "cannot read the queue: disk I/O error");
	ck_assert_ptr_null(s.store_error);
	ck_assert_int_eq(s.pending + s.inflight + s.failed + s.dead + s.delivered, 0);
	ck_assert_uint_eq(s.nfailing, 0);
	ck_assert_ptr_null(s.failing);
	control_status_clear(&s);
}
END_TEST

START_TEST(wake_reports_store_error)
{
	struct fake f;
	char err[ERR_MAX], store_error[ERR_MAX];
	json_t *req;

	fake_start(&f, "{\"ok\":true,\"store_error\":\"cannot record deliveries: the store is busy\"}", 0);
	ck_assert_int_eq(control_wake(f.dir, PATIENCE_MS, store_error, err), 0);
	req = fake_stop(&f);
	expect_cmd(req, "wake");
	json_decref(req);
	ck_assert_str_eq(store_error, "cannot record deliveries: the store is busy");
	fake_start(&f, "{\"ok\":true,\"store_error\":null}", 0);
	ck_assert_int_eq(control_wake(f.dir, PATIENCE_MS, store_error, err), 0);
	json_decref(fake_stop(&f));
	ck_assert_str_eq(store_error, "");
}
END_TEST

/* hookman fire sends the wake and reads the answer when its own work is
 * done: the request is on the wire once control_wake_start returns, and
 * the answer read later is the same as control_wake's. */
START_TEST(wake_in_two_halves)
{
	struct control_pending p;
	struct fake f;
	char err[ERR_MAX], store_error[ERR_MAX];
	json_t *req;

	/* The fake holds its answer until the gate opens: the start returns
	 * without it. */
	fake_start(&f, "{\"ok\":true,\"store_error\":\"cannot claim: the disk is full\"}", 1);
	ck_assert_int_eq(control_wake_start(f.dir, &p, err), 0);
	ck_assert_int_ge(p.fd, 0);
	fake_open_gate(&f);
	ck_assert_int_eq(control_wake_finish(&p, PATIENCE_MS, store_error, err), 0);
	ck_assert_int_eq(p.fd, -1);
	req = fake_stop(&f);
	expect_cmd(req, "wake");
	json_decref(req);
	ck_assert_str_eq(store_error, "cannot claim: the disk is full");
}
END_TEST

START_TEST(stop_and_refusal)
{
	struct fake f;
	char err[ERR_MAX];
	long pid = 0;
	json_t *req;

	fake_start(&f, "{\"ok\":true,\"pid\":99}", 0);
	ck_assert_int_eq(control_stop(f.dir, PATIENCE_MS, &pid, err), 0);
	req = fake_stop(&f);
	expect_cmd(req, "stop");
	json_decref(req);
	ck_assert_int_eq(pid, 99);
	/* hookmand's refusal: its sentence, of the kind "fix the input". */
	fake_start(&f, "{\"ok\":false,\"error\":\"unknown command (wake, status, test, stop)\"}", 0);
	ck_assert_int_eq(control_stop(f.dir, PATIENCE_MS, &pid, err), -1);
	json_decref(fake_stop(&f));
	ck_assert_str_eq(err, "unknown command (wake, status, test, stop)");
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
}
END_TEST

START_TEST(nobody_listening_is_unavailable)
{
	struct control_status s;
	struct control_pending p;
	struct sockaddr_un sa;
	char dir[512], err[ERR_MAX], store_error[ERR_MAX];
	int fd;

	snprintf(dir, sizeof dir, "%s", tu_tmpdir());
	/* No socket at all. */
	ck_assert_int_eq(control_status(dir, PATIENCE_MS, &s, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_UNAVAILABLE);
	ck_assert_msg(strstr(err, "hookmand is not running") != NULL, "%s", err);
	control_status_clear(&s);
	ck_assert_int_eq(control_wake(dir, PATIENCE_MS, store_error, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_UNAVAILABLE);
	ck_assert_int_eq(control_test_delivery(dir, 1, &p, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_UNAVAILABLE);
	ck_assert_int_eq(p.fd, -1);
	/* A stale socket: a daemon that died without removing it. */
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	ck_assert_int_eq(control_socket_path(dir, sa.sun_path, sizeof sa.sun_path, err), 0);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	close(fd);
	ck_assert_int_eq(control_stop(dir, PATIENCE_MS, NULL, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_UNAVAILABLE);
	tu_rmtree(dir);
}
END_TEST

/* A daemon that takes the request and says nothing, or hangs up, is as
 * good as none; one that answers garbage is another failure. */
START_TEST(no_answer_is_unavailable)
{
	struct fake f;
	char err[ERR_MAX];

	fake_start(&f, NULL, 0);
	ck_assert_int_eq(control_wake(f.dir, 50, NULL, err), -1);
	json_decref(fake_stop(&f));
	ck_assert_str_eq(err, "hookmand did not answer within 50 ms");
	ck_assert_int_eq(err_kind(err), ERR_UNAVAILABLE);
	fake_start(&f, "", 0);
	ck_assert_int_eq(control_wake(f.dir, PATIENCE_MS, NULL, err), -1);
	json_decref(fake_stop(&f));
	ck_assert_str_eq(err, "hookmand closed the connection without answering");
	ck_assert_int_eq(err_kind(err), ERR_UNAVAILABLE);
	fake_start(&f, "[1,2]", 0);
	ck_assert_int_eq(control_wake(f.dir, PATIENCE_MS, NULL, err), -1);
	json_decref(fake_stop(&f));
	ck_assert_str_eq(err, "hookmand's answer is not a JSON object");
	ck_assert_int_eq(err_kind(err), ERR_OTHER);
}
END_TEST

START_TEST(test_result_is_parsed)
{
	struct fake f;
	struct control_pending p;
	struct control_test_result r;
	char err[ERR_MAX];
	json_t *req;

	fake_start(&f, "{\"ok\":true,\"id\":\"msg_2abc\",\"duration_ms\":12,\"result\":\"delivered\",\"status\":200,"
		   "\"error\":null,\"request_headers\":\"content-type: application/json\\r\\n\","
		   "\"response_headers\":\"HTTP/1.1 200 OK\\r\\n\",\"response_body\":\"{\\\"received\\\":true}\","
		   "\"response_size\":17}", 0);
	ck_assert_int_eq(control_test_delivery(f.dir, 42, &p, err), 0);
	ck_assert_int_eq(control_test_wait(&p, PATIENCE_MS, &r, err), 0);
	ck_assert_int_eq(p.fd, -1);
	req = fake_stop(&f);
	expect_cmd(req, "test");
	ck_assert_int_eq(json_integer_value(json_object_get(req, "delivery")), 42);
	json_decref(req);
	ck_assert_str_eq(r.id, "msg_2abc");
	ck_assert_int_eq(r.has_status, 1);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.duration_ms, 12);
	ck_assert_int_eq(r.response_size, 17);
	ck_assert_ptr_null(r.error);
	ck_assert_str_eq(r.request_headers, "content-type: application/json\r\n");
	ck_assert_str_eq(r.response_headers, "HTTP/1.1 200 OK\r\n");
	ck_assert_str_eq(r.response_body, "{\"received\":true}");
	ck_assert_str_eq(json_string_value(json_object_get(r.raw, "result")), "delivered");
	control_test_result_clear(&r);
	/* No answer from the receiver: no status, libcurl's words. */
	fake_start(&f, "{\"ok\":true,\"id\":\"msg_3\",\"duration_ms\":3,\"result\":\"failed\",\"status\":null,"
		   "\"error\":\"Failed to connect to 127.0.0.1 port 9\",\"request_headers\":\"\","
		   "\"response_headers\":\"\",\"response_body\":\"\",\"response_size\":0}", 0);
	ck_assert_int_eq(control_test_delivery(f.dir, 43, &p, err), 0);
	ck_assert_int_eq(control_test_wait(&p, PATIENCE_MS, &r, err), 0);
	json_decref(fake_stop(&f));
	ck_assert_int_eq(r.has_status, 0);
	ck_assert_str_eq(r.error, "Failed to connect to 127.0.0.1 port 9");
	control_test_result_clear(&r);
	/* Refused: the sentence, ERR_INVALID, and p released. */
	fake_start(&f, "{\"ok\":false,\"error\":\"that delivery is not a test\"}", 0);
	ck_assert_int_eq(control_test_delivery(f.dir, 44, &p, err), 0);
	ck_assert_int_eq(control_test_wait(&p, PATIENCE_MS, &r, err), -1);
	json_decref(fake_stop(&f));
	ck_assert_int_eq(p.fd, -1);
	ck_assert_str_eq(err, "that delivery is not a test");
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	control_test_result_clear(&r);
}
END_TEST

START_TEST(test_wait_gives_up)
{
	struct fake f;
	struct control_pending p;
	struct control_test_result r;
	char err[ERR_MAX];

	fake_start(&f, NULL, 0);
	ck_assert_int_eq(control_test_delivery(f.dir, 1, &p, err), 0);
	ck_assert_int_eq(control_test_wait(&p, 50, &r, err), -1);
	ck_assert_int_eq(p.fd, -1);
	json_decref(fake_stop(&f));
	ck_assert_str_eq(err, "hookmand did not answer within 50 ms");
	ck_assert_int_eq(err_kind(err), ERR_UNAVAILABLE);
	control_test_result_clear(&r);
}
END_TEST

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The interface's way: the form's settings sent inline, the answer
 * collected without blocking while the screen stays live. */
START_TEST(test_spec_checked_without_blocking)
{
	char url[] = "https://example.com/hook", secret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
	char h1[] = "Authorization: Bearer x", h2[] = "X-Team: ops", *headers[] = { h1, h2 };
	struct webhook wh;
	struct fake f;
	struct control_pending p;
	struct control_test_result r;
	char err[ERR_MAX];
	long long deadline;
	json_t *req, *spec;
	int rc;

	webhook_init(&wh);
	wh.url = url;
	wh.secret = secret;
	wh.headers = headers;
	wh.nheaders = 2;
	wh.verify_tls = 0;
	wh.timeout = 7;
	fake_start(&f, "{\"ok\":true,\"id\":\"msg_4\",\"status\":204,\"duration_ms\":5,\"response_size\":0,"
		   "\"request_headers\":\"\",\"response_headers\":\"\",\"response_body\":\"\",\"error\":null}", 1);
	ck_assert_int_eq(control_test_spec(f.dir, &wh, "{\"text\":\"hi\"}", &p, err), 0);
	/* The fake holds its answer until the gate opens: nothing to read. */
	ck_assert_int_eq(control_test_check(&p, &r, err), 0);
	ck_assert_int_ge(p.fd, 0);
	fake_open_gate(&f);
	deadline = now_ms() + PATIENCE_MS;
	while ((rc = control_test_check(&p, &r, err)) == 0 && now_ms() < deadline) {
		struct pollfd pfd = { p.fd, POLLIN, 0 };

		poll(&pfd, 1, 100);
	}
	ck_assert_msg(rc == 1, "no answer: %d %s", rc, rc < 0 ? err : "");
	ck_assert_int_eq(r.status, 204);
	control_test_result_clear(&r);
	req = fake_stop(&f);
	expect_cmd(req, "test");
	spec = json_object_get(req, "spec");
	ck_assert_str_eq(json_string_value(json_object_get(spec, "url")), url);
	ck_assert_str_eq(json_string_value(json_object_get(spec, "body")), "{\"text\":\"hi\"}");
	ck_assert_str_eq(json_string_value(json_object_get(spec, "secret")), secret);
	ck_assert_uint_eq(json_array_size(json_object_get(spec, "headers")), 2);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(spec, "headers"), 1)), h2);
	ck_assert(json_is_false(json_object_get(spec, "verify_tls")));
	ck_assert_int_eq(json_integer_value(json_object_get(spec, "timeout")), 7);
	json_decref(req);
}
END_TEST

/* The next announced attempt: 1, or -1 at the end (polls meanwhile). */
static int next_attempt(struct control_follower *fl, struct control_attempt *a, char *err)
{
	int rc;

	while ((rc = control_follow_read(fl, a, err)) == 0)
		ck_assert_msg(readable(fl->fd), "no announcement came");
	return rc;
}

START_TEST(follow_reads_announced_attempts)
{
	struct control_follower fl;
	struct control_attempt a;
	char err[ERR_MAX];
	struct fake f;
	json_t *req;

	/* The acceptance, two attempts, and a line cut short: what a
	 * follower dropped for being slow gets last. */
	fake_start(&f, "{\"ok\": true}\n"
		   "{\"id\": \"msg_1\", \"webhook\": \"ops\", \"status\": 503, \"error\": \"HTTP 503\", "
		   "\"started_at\": 1700000000000, \"duration_ms\": 12, \"attempt\": 2, \"result\": \"retry\", "
		   "\"next_ms\": 300000}\n"
		   "{\"id\": \"msg_2\", \"webhook\": \"Jira d\u00e9tections\", \"status\": null, "
		   "\"error\": \"cannot connect\", \"duration_ms\": 3, \"attempt\": 8, \"result\": \"dead\"}\n"
		   "{\"id\": \"msg_3\", \"webh", 0);
	ck_assert_int_eq(control_follow(f.dir, &fl, PATIENCE_MS, err), 0);
	ck_assert_int_eq(next_attempt(&fl, &a, err), 1);
	ck_assert_str_eq(a.id, "msg_1");
	ck_assert_str_eq(a.webhook, "ops");
	ck_assert(a.has_status);
	ck_assert_int_eq(a.status, 503);
	ck_assert_str_eq(a.error, "HTTP 503");
	ck_assert_int_eq(a.started_at, 1700000000000LL);
	ck_assert_int_eq(a.duration_ms, 12);
	ck_assert_int_eq(a.attempt, 2);
	ck_assert_str_eq(a.result, "retry");
	ck_assert_int_eq(a.next_ms, 300000);
	control_attempt_clear(&a);
	ck_assert_int_eq(next_attempt(&fl, &a, err), 1);
	ck_assert_str_eq(a.webhook, "Jira d\xc3\xa9tections");
	ck_assert(!a.has_status);
	ck_assert_str_eq(a.error, "cannot connect");
	ck_assert_str_eq(a.result, "dead");
	ck_assert_int_eq(a.next_ms, 0);
	control_attempt_clear(&a);
	ck_assert_int_eq(next_attempt(&fl, &a, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_UNAVAILABLE);
	ck_assert_int_eq(fl.fd, -1);
	control_follow_close(&fl);
	req = fake_stop(&f);
	expect_cmd(req, "follow");
	json_decref(req);
}
END_TEST

START_TEST(follow_refused)
{
	struct control_follower fl;
	char err[ERR_MAX];
	struct fake f;
	json_t *req;

	fake_start(&f, "{\"ok\": false, \"error\": \"hookmand is busy: too many followers (16); stop one and try again\"}",
		   0);
	ck_assert_int_eq(control_follow(f.dir, &fl, PATIENCE_MS, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	ck_assert_str_eq(err, "hookmand is busy: too many followers (16); stop one and try again");
	ck_assert_int_eq(fl.fd, -1);
	req = fake_stop(&f);
	json_decref(req);
}
END_TEST

START_TEST(attempt_line_not_json)
{
	struct control_attempt a;
	char err[ERR_MAX];

	ck_assert_int_eq(control_attempt_parse("[1]", 3, &a, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_OTHER);
	ck_assert_ptr_null(a.id);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("control");
	TCase *client = tcase_create("client");
	TCase *failures = tcase_create("failures");
	TCase *tests = tcase_create("test sends");
	TCase *follow = tcase_create("follow");

	tcase_add_test(client, status_is_parsed);
	tcase_add_test(client, status_without_queue);
	tcase_add_test(client, wake_reports_store_error);
	tcase_add_test(client, wake_in_two_halves);
	tcase_add_test(client, stop_and_refusal);
	tcase_add_test(failures, nobody_listening_is_unavailable);
	tcase_add_test(failures, no_answer_is_unavailable);
	tcase_add_test(tests, test_result_is_parsed);
	tcase_add_test(tests, test_wait_gives_up);
	tcase_add_test(tests, test_spec_checked_without_blocking);
	suite_add_tcase(s, client);
	suite_add_tcase(s, failures);
	tcase_add_test(follow, follow_reads_announced_attempts);
	tcase_add_test(follow, follow_refused);
	tcase_add_test(follow, attempt_line_not_json);
	suite_add_tcase(s, tests);
	suite_add_tcase(s, follow);
	return tu_run(s);
}
