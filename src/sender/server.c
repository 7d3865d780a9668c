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
		else
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
