/* One HTTP delivery attempt with libcurl: the request as Standard Webhooks
 * want it, and what came back, capped. */
#ifndef HOOKMAND_HTTP_H
#define HOOKMAND_HTTP_H

#include <curl/curl.h>

#include "queue.h"

#define HTTP_BODY_CAP (64 * 1024)       /* response bytes kept */
#define HTTP_HEADERS_CAP (16 * 1024)    /* response header bytes kept */
/* Response header bytes read before the attempt fails. Real receivers
 * send a few KiB; four times what is kept leaves room for a long cookie or
 * policy header and still stops one that streams header lines. Below the
 * total recent libcurl versions enforce (300 KiB), so that the error
 * recorded is hookman's, with the limit in it. */
#define HTTP_HEADERS_MAX (64 * 1024)
#define HTTP_CONNECT_TIMEOUT_MS 5000

/* How every request is made, from hookmand's options. */
struct http_options {
	long timeout_ms;           /* >0: override every webhook's timeout (tests) */
	int deny_private;          /* refuse loopback/private/link-local addresses */
};

/* Why hookmand cut a response short (its callbacks returned a short count,
 * so libcurl ends the transfer with CURLE_WRITE_ERROR). */
enum http_stop {
	HTTP_STOP_NONE,
	HTTP_STOP_HEADERS,         /* over HTTP_HEADERS_MAX: a failure */
	HTTP_STOP_BODY,            /* more than the excerpt keeps: the status counts */
};

struct transfer {
	struct job job;            /* owned */
	CURL *easy;
	struct curl_slist *headers;
	char *request_headers;     /* as recorded: sensitive values masked */
	char errbuf[CURL_ERROR_SIZE];
	char *body;                /* response, at most HTTP_BODY_CAP bytes */
	size_t body_len;
	long long body_size;       /* body bytes received */
	char *resp_headers;
	size_t resp_headers_len;
	size_t resp_headers_size;  /* header bytes received, kept or not */
	int in_headers;            /* between a status line and the blank line after its headers */
	enum http_stop stop;
	char location[512];
	char denied[128];          /* why --deny-private refused an address, or "" */
	long long retry_after_ms;
	long long started_at;      /* unix ms */
	int client;                /* control client waiting for a test result, or -1 */
	unsigned client_serial;
};

/* Prepare the attempt for job (taken over, also on failure): URL, POST of
 * the body, Content-Type, User-Agent, webhook-id, webhook-timestamp, the
 * signature when the webhook has a secret, custom headers; http/https only,
 * no redirects, connect timeout 5 s, the webhook's total timeout, TLS
 * verified unless the webhook says otherwise; with opt->deny_private, each
 * address is checked after DNS and before connecting. reuse, when not NULL,
 * is an easy handle from an earlier transfer (http_free's leftover), taken
 * over. NULL with err on failure. */
struct transfer *http_prepare(struct job *job, long long now_ms, const struct http_options *opt,
			      CURL *reuse, char *err);

/* Fill o from a finished transfer. o points into t: keep t until o is
 * recorded. errtext receives the failure cause in plain words. A body cut
 * short past the excerpt is a response received (its status counts, its
 * size is the larger of what arrived and its Content-Length); headers over
 * HTTP_HEADERS_MAX, or a line over libcurl's limit, are a transport
 * failure that says so. */
void http_outcome(struct transfer *t, CURLcode code, long long now_ms, struct outcome *o,
		  char *errtext, size_t errsize);

/* Free t. With keep, its easy handle is reset and returned for reuse
 * (saving its allocation for the next request); else NULL. */
CURL *http_free(struct transfer *t, int keep);

#endif
