/* hookmand's control socket: accepts clients of this user, reads one JSON
 * request per line, hands it to a handler, writes the replies. */
#ifndef HOOKMAND_SERVER_H
#define HOOKMAND_SERVER_H

#include <curl/curl.h>
#include <jansson.h>

#define SERVER_CLIENTS 64
#define SERVER_FOLLOWERS 16   /* "follow" clients, apart: they never take a request's slot */

struct server;

/* Called for each request. Return a reply to send now (the server takes
 * the reference), or NULL when the reply will come later through
 * server_reply() for (client, serial). */
typedef json_t *(*server_handler)(void *ctx, json_t *req, int client, unsigned serial);

/* Bind DIR/hookmand.sock (mode 0600; a stale socket is replaced: the
 * caller holds the store's daemon lock). NULL with err on failure. */
struct server *server_open(const char *dir, server_handler fn, void *ctx, char *err);
void server_close(struct server *srv);

/* Descriptors to wait on, for curl_multi_poll. Returns the count. */
unsigned server_waitfds(struct server *srv, struct curl_waitfd *fds, unsigned max);

/* Act on the descriptors that are ready (fds as filled by server_waitfds,
 * with revents set). */
void server_dispatch(struct server *srv, const struct curl_waitfd *fds, unsigned n);

/* Send a deferred reply; dropped when that client has gone. Takes the
 * reference. */
void server_reply(struct server *srv, int client, unsigned serial, json_t *reply);

/* Announce an attempt the store has just recorded (r->fate
 * QUEUE_RECORDED; others, and tests of unsaved settings, are left out) to
 * every follower, one JSON line each (control_proto.h), without ever
 * waiting: a follower whose socket is full is dropped (and logged), one
 * that is gone is closed. */
struct job;
struct outcome;
struct queue_result;
void server_announce(struct server *srv, const struct job *j, const struct outcome *o,
		     const struct queue_result *r);

#endif
