/* The control socket's protocol, one list for both ends: the client
 * (control_client.c) and hookmand's dispatcher (src/sender/sender.c,
 * server.c, and stats.c for the queue) name commands and fields only
 * through these, so the two cannot drift apart.
 *
 * One JSON object per line each way. A request is {"cmd": NAME, …}; every
 * reply has "ok", and a refusal is {"ok": false, "error": SENTENCE}. */
#ifndef HOOKMAN_CONTROL_PROTO_H
#define HOOKMAN_CONTROL_PROTO_H

#define CONTROL_F_CMD "cmd"

/* The commands. */
#define CONTROL_CMD_WAKE "wake"       /* look at the queue now */
#define CONTROL_CMD_STATUS "status"   /* the daemon's and the queue's state */
#define CONTROL_CMD_TEST "test"       /* send one test now, answer when it is done */
#define CONTROL_CMD_STOP "stop"       /* stop as SIGTERM does */
#define CONTROL_CMD_FOLLOW "follow"   /* {"ok": true}, then one line per attempt recorded */

/* Every reply. */
#define CONTROL_F_OK "ok"
#define CONTROL_F_ERROR "error"       /* a refusal's sentence; a test's transport error */

/* wake's and status's reply: the sender's STORE ERROR, or null. */
#define CONTROL_F_STORE_ERROR "store_error"

/* status's reply (and stop's pid). */
#define CONTROL_F_PID "pid"
#define CONTROL_F_STARTED_AT "started_at"       /* ms since the epoch */
#define CONTROL_F_UPTIME_S "uptime_s"
#define CONTROL_F_LAST_MINUTE "last_minute"     /* deliveries */
#define CONTROL_F_LIMITS "limits"               /* {total, per_webhook} */
#define CONTROL_F_LIMIT_TOTAL "total"
#define CONTROL_F_LIMIT_PER_WEBHOOK "per_webhook"
#define CONTROL_F_DENY_PRIVATE "deny_private"
#define CONTROL_F_QUEUE "queue"                 /* deliveries by state, tests left out */
#define CONTROL_F_TESTS "tests"                 /* test sends by state */
#define CONTROL_F_QUEUE_ERROR "queue_error"     /* present when the queue could not be counted */
#define CONTROL_F_FAILING "failing"             /* [{name, since, enabled, reason, last_error}] */

/* The states, as keys of "queue" and "tests" (they are the deliveries'
 * states in the store). At the top of status's reply, "inflight" is the
 * requests in flight now, "delivered" and "failed" the sender's counts
 * since it started. */
#define CONTROL_F_PENDING "pending"
#define CONTROL_F_INFLIGHT "inflight"
#define CONTROL_F_FAILED "failed"
#define CONTROL_F_DEAD "dead"
#define CONTROL_F_DELIVERED "delivered"

/* One entry of "failing". */
#define CONTROL_F_NAME "name"
#define CONTROL_F_SINCE "since"                 /* ms since the epoch; absent when unknown */
#define CONTROL_F_ENABLED "enabled"
#define CONTROL_F_REASON "reason"               /* why the sender disabled it */
#define CONTROL_F_LAST_ERROR "last_error"

/* test's request: a stored test delivery's id, or a spec of settings not
 * saved (nothing is recorded then). */
#define CONTROL_F_DELIVERY "delivery"
#define CONTROL_F_SPEC "spec"
#define CONTROL_F_URL "url"
#define CONTROL_F_BODY "body"
#define CONTROL_F_SECRET "secret"               /* absent: unsigned */
#define CONTROL_F_HEADERS "headers"             /* ["Name: value", …] */
#define CONTROL_F_VERIFY_TLS "verify_tls"
#define CONTROL_F_TIMEOUT "timeout"             /* seconds */

/* test's reply. */
#define CONTROL_F_ID "id"                       /* the delivery's msg_ id */
#define CONTROL_F_RESULT "result"               /* CONTROL_RESULT_… */
#define CONTROL_F_STATUS "status"               /* the HTTP status, null without an answer */
#define CONTROL_F_DURATION_MS "duration_ms"
#define CONTROL_F_REQUEST_HEADERS "request_headers"
#define CONTROL_F_RESPONSE_HEADERS "response_headers"
#define CONTROL_F_RESPONSE_BODY "response_body" /* the first 4 KiB */
#define CONTROL_F_RESPONSE_SIZE "response_size"
#define CONTROL_RESULT_DELIVERED "delivered"
#define CONTROL_RESULT_FAILED "failed"

/* follow's lines, one per attempt once the store has it: id (the
 * delivery's msg_ id), status, error, duration_ms as a test's reply, and
 * these. */
#define CONTROL_F_WEBHOOK "webhook"             /* its name */
#define CONTROL_F_ATTEMPT "attempt"             /* its number among the delivery's attempts */
#define CONTROL_F_NEXT_MS "next_ms"             /* CONTROL_RESULT_RETRY: the wait before the next */
#define CONTROL_RESULT_RETRY "retry"            /* failed, another attempt will follow */
#define CONTROL_RESULT_DEAD "dead"              /* failed, and no attempt will follow */

#endif
