#include "control.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "control_proto.h"
#include "err.h"
#include "storedir.h"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int control_socket_path(const char *dir, char *out, size_t size, char *err)
{
	struct sockaddr_un sa;
	int n = snprintf(out, size, "%s/" CONTROL_SOCKET, dir);

	if (n < 0 || (size_t)n >= size || (size_t)n >= sizeof sa.sun_path) {
		err_setk(err, ERR_INVALID, "store path %s is too long for hookmand's socket (%zu bytes at most); use a shorter --store",
			dir, sizeof sa.sun_path - sizeof CONTROL_SOCKET - 1);
		return -1;
	}
	return 0;
}

int control_connect(const char *dir, int *absent, char *err)
{
	struct sockaddr_un sa;
	int fd;

	if (absent)
		*absent = 0;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (control_socket_path(dir, sa.sun_path, sizeof sa.sun_path, err) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err_set(err, "cannot create a socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int e = errno;

		close(fd);
		if (absent && (e == ENOENT || e == ECONNREFUSED))
			*absent = 1;
		err_setk(err, ERR_UNAVAILABLE, "hookmand is not running for %s (%s)", dir, strerror(e));
		return -1;
	}
	return fd;
}

static int write_all(int fd, const char *p, size_t n, char *err)
{
	ssize_t w;

	while (n > 0) {
		w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			err_setk(err, ERR_UNAVAILABLE, "cannot talk to hookmand: %s", strerror(errno));
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The reply line: the object, or NULL with err when it is none or is a
 * refusal (ERR_INVALID with hookmand's sentence). */
static json_t *judge(const char *line, size_t len, char *err)
{
	json_t *reply = json_loadb(line, len, 0, NULL);
	const char *why;

	if (!json_is_object(reply)) {
		err_set(err, "hookmand's answer is not a JSON object");
		json_decref(reply);
		return NULL;
	}
	if (json_is_false(json_object_get(reply, CONTROL_F_OK))) {
		why = json_string_value(json_object_get(reply, CONTROL_F_ERROR));
		err_setk(err, ERR_INVALID, "%s", why ? why : "hookmand refused the request");
		json_decref(reply);
		return NULL;
	}
	return reply;
}

int control_call(int fd, json_t *req, json_t **reply, int timeout_ms, char *err)
{
	char *line = json_dumps(req, JSON_COMPACT), *buf = NULL, *nl = NULL, *grown;
	size_t len = 0, cap = 0;
	long long deadline = now_ms() + timeout_ms;
	int rc = -1;

	*reply = NULL;
	if (!line) {
		err_oom(err, "request");
		return -1;
	}
	if (write_all(fd, line, strlen(line), err) < 0 || write_all(fd, "\n", 1, err) < 0)
		goto out;
	while (!nl) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		long long left = deadline - now_ms();
		ssize_t got;

		if (left <= 0) {
			err_setk(err, ERR_UNAVAILABLE, "hookmand did not answer within %d ms", timeout_ms);
			goto out;
		}
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR) {
			err_set(err, "cannot wait for hookmand: %s", strerror(errno));
			goto out;
		}
		if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			if (cap > CONTROL_LINE_MAX) {
				err_set(err, "hookmand's answer is longer than %d bytes", CONTROL_LINE_MAX);
				goto out;
			}
			grown = realloc(buf, cap);
			if (!grown) {
				err_oom(err, "reply");
				goto out;
			}
			buf = grown;
		}
		got = recv(fd, buf + len, cap - len - 1, 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			err_setk(err, ERR_UNAVAILABLE, "hookmand closed the connection without answering");
			goto out;
		}
		len += (size_t)got;
		buf[len] = '\0';
		nl = memchr(buf, '\n', len);
	}
	*reply = judge(buf, (size_t)(nl - buf), err);
	rc = *reply ? 0 : -1;
out:
	free(line);
	free(buf);
	return rc;
}

int control_start(const char *dir, json_t *req, struct control_pending *p, char *err)
{
	char *line = json_dumps(req, JSON_COMPACT);
	int fd;

	memset(p, 0, sizeof *p);
	p->fd = -1;
	if (!line) {
		err_oom(err, "request");
		return -1;
	}
	fd = control_connect(dir, NULL, err);
	if (fd < 0 || write_all(fd, line, strlen(line), err) < 0 || write_all(fd, "\n", 1, err) < 0) {
		if (fd >= 0)
			close(fd);
		free(line);
		return -1;
	}
	free(line);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	p->fd = fd;
	return 0;
}

void control_cancel(struct control_pending *p)
{
	if (p->fd >= 0)
		close(p->fd);
	free(p->buf);
	memset(p, 0, sizeof *p);
	p->fd = -1;
}

int control_check(struct control_pending *p, json_t **reply, char *err)
{
	char *nl, *grown;
	ssize_t got;

	*reply = NULL;
	for (;;) {
		if (p->len + 4096 + 1 > p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 8192;

			grown = cap <= CONTROL_LINE_MAX ? realloc(p->buf, cap) : NULL;
			if (!grown) {
				if (cap > CONTROL_LINE_MAX)
					err_set(err, "hookmand's answer is too long");
				else
					err_oom(err, "reply");
				control_cancel(p);
				return -1;
			}
			p->buf = grown;
			p->cap = cap;
		}
		got = recv(p->fd, p->buf + p->len, p->cap - p->len - 1, 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (got <= 0) {
			err_setk(err, ERR_UNAVAILABLE, "hookmand closed the connection without answering");
			control_cancel(p);
			return -1;
		}
		p->len += (size_t)got;
		p->buf[p->len] = '\0';
		nl = memchr(p->buf, '\n', p->len);
		if (!nl)
			continue;
		*reply = judge(p->buf, (size_t)(nl - p->buf), err);
		control_cancel(p);
		return *reply ? 1 : -1;
	}
}

int control_request(const char *dir, json_t *req, json_t **reply, int timeout_ms, char *err)
{
	int fd = control_connect(dir, NULL, err), rc;

	*reply = NULL;
	if (fd < 0)
		return -1;
	rc = control_call(fd, req, reply, timeout_ms, err);
	close(fd);
	return rc;
}

long control_lock_pid(const char *dir)
{
	char path[4200], buf[32] = "";
	long pid = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "%s/" CONTROL_LOCK, dir);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n > 0) {
		buf[n] = '\0';
		pid = strtol(buf, NULL, 10);
	}
	return pid;
}

/* Whether a hookmand holds the store's lock (running, or starting). */
static int lock_held(const char *dir)
{
	char path[4200];
	int fd, held;

	snprintf(path, sizeof path, "%s/" CONTROL_LOCK, dir);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	held = flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	close(fd);
	return held;
}

/* Start hookmand detached: it forks into the background itself and its
 * first process exits once the daemon is ready or has failed, saying why
 * on its standard error, which comes back here. 1 with that reason in err
 * when it failed, 0 when it started (or may have), -1 when it cannot run. */
static int spawn(const char *dir, const char *store, const char *path, char *err)
{
	int status, devnull, p[2];
	pid_t pid;
	ssize_t n;
	char why[ERR_MAX];

	if (pipe2(p, O_CLOEXEC) < 0) {
		err_set(err, "cannot start hookmand: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		err_set(err, "cannot start hookmand: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		devnull = open("/dev/null", O_RDWR);
		if (devnull >= 0) {
			dup2(devnull, STDIN_FILENO);
			dup2(devnull, STDOUT_FILENO);
		}
		dup2(p[1], STDERR_FILENO);
		/* A database's address (and its password, if it holds one)
		 * goes in the environment, which ps does not show. */
		if (storedir_is_uri(store)) {
			setenv("HOOKMAN_STORE", store, 1);
			setenv("HOOKMAN_RUN_DIR", dir, 1);
			execl(path, "hookmand", (char *)NULL);
		} else {
			execl(path, "hookmand", "--store", store, (char *)NULL);
		}
		_exit(127);
	}
	close(p[1]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			err_set(err, "cannot wait for hookmand to start: %s", strerror(errno));
			close(p[0]);
			return -1;
		}
	/* The daemon itself may still hold the pipe as its standard error
	 * for a moment: read what is there, never wait for the end. */
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	n = read(p[0], why, sizeof why - 1);
	close(p[0]);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		err_setk(err, ERR_UNAVAILABLE, "cannot run %s (is hookmand installed?)", path);
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0 && n > 0) {
		why[n] = '\0';
		why[strcspn(why, "\n")] = '\0';
		err_setk(err, ERR_UNAVAILABLE, "%s", strncmp(why, "hookmand: ", 10) == 0 ? why + 10 : why);
		return 1;
	}
	return 0;
}

int control_ensure(const char *dir, const char *store, const char *hookmand_path, int timeout_ms, int *started,
		   char *err)
{
	long long deadline = now_ms() + timeout_ms, last_spawn = 0;
	int fd, absent;

	if (started)
		*started = 0;
	for (;;) {
		fd = control_connect(dir, &absent, err);
		if (fd >= 0) {
			close(fd);
			return 0;
		}
		if (!absent)
			return -1;
		if (now_ms() >= deadline)
			break;
		/* Spawn again now and then: a daemon that was just stopping may
		 * have held the lock when we first tried. */
		if (now_ms() - last_spawn >= 250) {
			int rc = spawn(dir, store, hookmand_path, err);

			if (rc < 0)
				return -1;
			/* It refused to start, and no other start holds the lock
			 * (which would mean a daemon on its way up; a failing
			 * one lets go before it says why): say why now. */
			if (rc == 1 && !lock_held(dir)) {
				err_prefix(err, "hookmand could not start");
				return -1;
			}
			last_spawn = now_ms();
			if (started)
				*started = 1;
		}
		usleep(10 * 1000);
	}
	err_prefix(err, "hookmand did not come up within %d ms (see %s/hookmand.log)", timeout_ms, dir);
	return -1;
}
