/* Talking to hookmand over DIR/hookmand.sock: one JSON object per line
 * each way. Also starting hookmand when none runs for a store, the way
 * tmux's client starts its server: connect; on failure spawn the daemon,
 * which takes the store's lock (so two starts still give one daemon), and
 * connect again until it answers. */
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
 * with err set; *absent (may be NULL) is set when no daemon listens (no
 * socket, or a stale one), as opposed to another failure. */
int control_connect(const char *dir, int *absent, char *err);

/* Send req (a JSON object) on fd and wait up to timeout_ms for the reply
 * line. *reply receives a new reference. A reply {"ok": false, "error": …}
 * is returned as -1 with err set to its error. */
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

/* Make sure a daemon runs for dir: connect, or spawn hookmand_path
 * (detached, "--store dir") and wait up to timeout_ms for it to answer.
 * *started (may be NULL) tells whether this call started it. */
int control_ensure(const char *dir, const char *hookmand_path, int timeout_ms, int *started, char *err);

/* The pid written in DIR/hookmand.lock, or 0. */
long control_lock_pid(const char *dir);

#endif
