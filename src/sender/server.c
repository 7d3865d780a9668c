#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "control_proto.h"
#include "err.h"
#include "log.h"
#include "queue.h"

#define REQUEST_MAX (64 * 1024)

struct client {
	int fd;              /* -1 when the slot is free */
	unsigned serial;     /* tells a reused slot from the client a reply was for */
	char buf[REQUEST_MAX];
	size_t len;
};

struct server {
	int lfd;
	char path[200];
	server_handler fn;
	void *ctx;
	unsigned next_serial;
	struct client clients[SERVER_CLIENTS];
	int followers[SERVER_FOLLOWERS];   /* -1 when the slot is free; written to, never read */
};

struct server *server_open(const char *dir, server_handler fn, void *ctx, char *err)
{
	struct server *srv = calloc(1, sizeof *srv);
	struct sockaddr_un sa;
	mode_t old;
	size_t i;

	if (!srv)
		return err_oom(err, "server");
	srv->fn = fn;
	srv->ctx = ctx;
	for (i = 0; i < SERVER_CLIENTS; i++)
		srv->clients[i].fd = -1;
	for (i = 0; i < SERVER_FOLLOWERS; i++)
		srv->followers[i] = -1;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (control_socket_path(dir, sa.sun_path, sizeof sa.sun_path, err) < 0)
		goto fail;
	snprintf(srv->path, sizeof srv->path, "%s", sa.sun_path);
	srv->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (srv->lfd < 0) {
		err_set(err, "cannot create the control socket: %s", strerror(errno));
		goto fail;
	}
	if (unlink(sa.sun_path) < 0 && errno != ENOENT) {
		err_set(err, "cannot remove the stale socket %s: %s", sa.sun_path, strerror(errno));
		goto fail;
	}
	/* Created 0600 from the start: no window where others may connect. */
	old = umask(077);
	if (bind(srv->lfd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		umask(old);
		err_set(err, "cannot bind %s: %s", sa.sun_path, strerror(errno));
		goto fail;
	}
	umask(old);
	if (chmod(sa.sun_path, 0600) < 0) {
		err_set(err, "cannot restrict %s to mode 0600: %s", sa.sun_path, strerror(errno));
		goto fail;
	}
	if (listen(srv->lfd, 64) < 0) {
		err_set(err, "cannot listen on %s: %s", sa.sun_path, strerror(errno));
		goto fail;
	}
	return srv;
fail:
	if (srv->lfd > 0)
		close(srv->lfd);
	free(srv);
	return NULL;
}

static void drop(struct client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->len = 0;
}

void server_close(struct server *srv)
{
	size_t i;

	if (!srv)
		return;
	for (i = 0; i < SERVER_CLIENTS; i++)
		drop(&srv->clients[i]);
	for (i = 0; i < SERVER_FOLLOWERS; i++)
		if (srv->followers[i] >= 0)
			close(srv->followers[i]);
	close(srv->lfd);
	unlink(srv->path);
	free(srv);
}

unsigned server_waitfds(struct server *srv, struct curl_waitfd *fds, unsigned max)
{
	unsigned n = 0;
	size_t i;

	if (max == 0)
		return 0;
	fds[n].fd = srv->lfd;
	fds[n].events = CURL_WAIT_POLLIN;
	fds[n++].revents = 0;
	for (i = 0; i < SERVER_CLIENTS && n < max; i++)
		if (srv->clients[i].fd >= 0) {
			fds[n].fd = srv->clients[i].fd;
			fds[n].events = CURL_WAIT_POLLIN;
			fds[n++].revents = 0;
		}
	return n;
}

static void send_line(int fd, json_t *reply)
{
	char *s = json_dumps(reply, JSON_COMPACT);
	size_t len, off = 0;
	ssize_t w;

	json_decref(reply);
	if (!s)
		return;
	len = strlen(s);
	s[len++] = '\n';   /* json_dumps leaves the NUL's byte: reuse it */
	while (off < len) {
		w = send(fd, s + off, len - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			fd_set ws;

			FD_ZERO(&ws);
			FD_SET(fd, &ws);
			select(fd + 1, NULL, &ws, NULL, NULL);
			continue;
		}
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	free(s);
}

void server_reply(struct server *srv, int client, unsigned serial, json_t *reply)
{
	struct client *c;

	if (client < 0 || client >= SERVER_CLIENTS) {
		json_decref(reply);
		return;
	}
	c = &srv->clients[client];
	if (c->fd < 0 || c->serial != serial) {
		json_decref(reply);
		return;
	}
	send_line(c->fd, reply);
}

static void accept_one(struct server *srv)
{
	struct ucred cred;
	socklen_t len = sizeof cred;
	size_t i;
	int fd = accept4(srv->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	/* The socket is 0600 already; the peer check also covers a directory
	 * whose mode someone loosened. */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		log_msg("refused a control connection whose user is unknown: %s", strerror(errno));
		close(fd);
		return;
	}
	if (cred.uid != geteuid()) {
		log_msg("refused a control connection from uid %ld", (long)cred.uid);
		close(fd);
		return;
	}
	for (i = 0; i < SERVER_CLIENTS; i++)
		if (srv->clients[i].fd < 0) {
			srv->clients[i].fd = fd;
			srv->clients[i].len = 0;
			srv->clients[i].serial = ++srv->next_serial;
			return;
		}
	send_line(fd, json_pack("{s:b, s:s}", CONTROL_F_OK, 0, CONTROL_F_ERROR, "hookmand is busy: too many clients"));
	close(fd);
}

/* Followers are not polled (the loop's descriptors stay those of
 * requests); one that hung up is noticed when written to, or here, when
 * its slot is wanted. */
static int free_follower_slot(struct server *srv)
{
	char byte;
	size_t i;

	for (i = 0; i < SERVER_FOLLOWERS; i++)
		if (srv->followers[i] >= 0 && recv(srv->followers[i], &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0) {
			close(srv->followers[i]);
			srv->followers[i] = -1;
		}
	for (i = 0; i < SERVER_FOLLOWERS; i++)
		if (srv->followers[i] < 0)
			return (int)i;
	return -1;
}

/* The client at idx asked to follow: accept it and move it from the
 * request slots to a follower's. */
static void follow(struct server *srv, int idx)
{
	struct client *c = &srv->clients[idx];
	int slot = free_follower_slot(srv);

	if (slot < 0) {
		send_line(c->fd, json_pack("{s:b, s:o}", CONTROL_F_OK, 0, CONTROL_F_ERROR,
					   json_sprintf("hookmand is busy: %d followers already; stop one "
							"(a hookman tail -f) and try again", SERVER_FOLLOWERS)));
		drop(c);
		return;
	}
	send_line(c->fd, json_pack("{s:b}", CONTROL_F_OK, 1));
	srv->followers[slot] = c->fd;
	c->fd = -1;
	c->len = 0;
}

static int is_follow(json_t *req)
{
	const char *cmd = json_string_value(json_object_get(req, CONTROL_F_CMD));

	return cmd && strcmp(cmd, CONTROL_CMD_FOLLOW) == 0;
}

static json_t *announcement(const struct job *j, const struct outcome *o, const struct queue_result *r)
{
	const struct decision *d = &r->decision;
	const char *result = d->verdict == VERDICT_DELIVERED ? CONTROL_RESULT_DELIVERED
			     : d->verdict == VERDICT_RETRY ? CONTROL_RESULT_RETRY : CONTROL_RESULT_DEAD;

	return json_pack("{s:s, s:s, s:o, s:o?, s:I, s:I, s:i, s:s, s:I}", CONTROL_F_ID, j->uid, CONTROL_F_WEBHOOK,
			 j->webhook_name ? j->webhook_name : "", CONTROL_F_STATUS,
			 o->status ? json_integer(o->status) : json_null(), CONTROL_F_ERROR,
			 o->error ? json_string(o->error) : NULL, CONTROL_F_STARTED_AT,
			 (json_int_t)o->started_at, CONTROL_F_DURATION_MS, (json_int_t)o->duration_ms,
			 CONTROL_F_ATTEMPT, j->attempts + 1, CONTROL_F_RESULT, result, CONTROL_F_NEXT_MS,
			 (json_int_t)(d->verdict == VERDICT_RETRY ? d->next_ms : 0));
}

void server_announce(struct server *srv, const struct job *j, const struct outcome *o,
		     const struct queue_result *r)
{
	json_t *line;
	char *text;
	size_t i, len, n = 0;

	for (i = 0; i < SERVER_FOLLOWERS; i++)
		n += srv->followers[i] >= 0;
	if (n == 0 || !j->id || r->fate != QUEUE_RECORDED)
		return;
	line = announcement(j, o, r);
	text = line ? json_dumps(line, JSON_COMPACT) : NULL;
	json_decref(line);
	if (!text)
		return;
	len = strlen(text);
	text[len++] = '\n';   /* json_dumps leaves the NUL's byte: reuse it */
	for (i = 0; i < SERVER_FOLLOWERS; i++) {
		int fd = srv->followers[i];
		ssize_t w;

		if (fd < 0)
			continue;
		do
			w = send(fd, text, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		while (w < 0 && errno == EINTR);
		if (w == (ssize_t)len)
			continue;
		/* A line cut short (w < len) ends the stream: the follower
		 * skips it and sees the close. */
		if (w >= 0 || errno == EAGAIN || errno == EWOULDBLOCK)
			log_msg("dropped a follower that does not keep up (its socket buffer is full)");
		close(fd);
		srv->followers[i] = -1;
	}
	free(text);
}

static void read_client(struct server *srv, int idx)
{
	struct client *c = &srv->clients[idx];
	ssize_t got = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
	char *nl;

	if (got < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (got <= 0) {
		drop(c);
		return;
	}
	c->len += (size_t)got;
	while (c->fd >= 0 && (nl = memchr(c->buf, '\n', c->len))) {
		json_error_t jerr;
		json_t *req = json_loadb(c->buf, (size_t)(nl - c->buf), 0, &jerr), *reply;
		size_t used = (size_t)(nl - c->buf) + 1;

		if (!json_is_object(req))
			reply = json_pack("{s:b, s:s}", CONTROL_F_OK, 0, CONTROL_F_ERROR, "request is not a JSON object");
		else if (is_follow(req)) {
			follow(srv, idx);
			json_decref(req);
			return;
		} else
			reply = srv->fn(srv->ctx, req, idx, c->serial);
		json_decref(req);
		if (reply)
			send_line(c->fd, reply);
		memmove(c->buf, c->buf + used, c->len - used);
		c->len -= used;
	}
	if (c->fd >= 0 && c->len == sizeof c->buf) {
		send_line(c->fd, json_pack("{s:b, s:s}", CONTROL_F_OK, 0, CONTROL_F_ERROR, "request line too long"));
		drop(c);
	}
}

void server_dispatch(struct server *srv, const struct curl_waitfd *fds, unsigned n)
{
	unsigned k;
	int i;

	for (k = 0; k < n; k++) {
		if (!fds[k].revents)
			continue;
		if (fds[k].fd == srv->lfd) {
			accept_one(srv);
			continue;
		}
		for (i = 0; i < SERVER_CLIENTS; i++)
			if (srv->clients[i].fd == fds[k].fd) {
				read_client(srv, i);
				break;
			}
	}
}
