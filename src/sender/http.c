#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "header.h"
#include "mask.h"
#include "netpolicy.h"
#include "sbuf.h"
#include "sign.h"
#include "webhook.h"

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
	struct transfer *t = userp;
	size_t n = size * nmemb, room = HTTP_BODY_CAP - t->body_len, keep = n < room ? n : room;

	t->body_size += (long long)n;
	if (keep > 0 && !t->body && !(t->body = malloc(HTTP_BODY_CAP)))
		keep = 0;   /* no excerpt then; the status still counts */
	if (keep > 0) {
		memcpy(t->body + t->body_len, data, keep);
		t->body_len += keep;
	}
	/* Bytes that cannot be kept are not worth reading: an endless body
	 * would cost CPU until the timeout and lose the status to it. A short
	 * count makes libcurl stop and close the connection; http_outcome
	 * knows the response arrived. */
	if (keep < n) {
		t->stop = HTTP_STOP_BODY;
		return 0;
	}
	return n;
}

static void header_value(const char *line, size_t n, size_t namelen, char *out, size_t size)
{
	const char *v = line + namelen;
	size_t len = n - namelen, i;

	while (len > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	while (len > 0 && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' '))
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(out, v, len);
	out[len] = '\0';
	/* The value ends up in errors and the log: no control characters
	 * (C0, DEL, or C1 encoded in UTF-8) from the receiver. */
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)out[i];

		if (ch < 0x20 || ch == 0x7f)
			out[i] = '?';
		else if (ch == 0xc2 && i + 1 < len && (unsigned char)out[i + 1] >= 0x80 &&
			 (unsigned char)out[i + 1] < 0xa0)
			out[i] = out[i + 1] = '?';
	}
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *userp)
{
	struct transfer *t = userp;
	size_t n = size * nmemb;
	char value[512];

	/* A new status line (after a 100 Continue) starts the headers over. */
	if (n > 5 && strncmp(line, "HTTP/", 5) == 0) {
		t->resp_headers_len = 0;
		t->location[0] = '\0';
		t->retry_after_ms = -1;
		t->in_headers = 1;
	}
	/* libcurl bounds each line, not how many come; counted across the
	 * attempt's responses, so endless 1xx responses are stopped too. */
	t->resp_headers_size += n;
	if (t->resp_headers_size > HTTP_HEADERS_MAX) {
		t->stop = HTTP_STOP_HEADERS;
		return 0;
	}
	if (n > 12 && strncasecmp(line, "Retry-After:", 12) == 0) {
		header_value(line, n, 12, value, sizeof value);
		t->retry_after_ms = retry_after_parse(value, store_now_ms());
	} else if (n > 9 && strncasecmp(line, "Location:", 9) == 0) {
		header_value(line, n, 9, t->location, sizeof t->location);
	}
	/* Kept as plain lines: no CR, no blank line that ends the block. */
	{
		size_t keep = n;

		while (keep > 0 && (line[keep - 1] == '\r' || line[keep - 1] == '\n'))
			keep--;
		if (keep == 0) {
			t->in_headers = 0;
			return n;
		}
		if (!t->resp_headers)
			t->resp_headers = malloc(HTTP_HEADERS_CAP + 1);
		if (t->resp_headers && t->resp_headers_len + keep + 1 <= HTTP_HEADERS_CAP) {
			memcpy(t->resp_headers + t->resp_headers_len, line, keep);
			t->resp_headers_len += keep;
			t->resp_headers[t->resp_headers_len++] = '\n';
			t->resp_headers[t->resp_headers_len] = '\0';
		}
	}
	return n;
}

/* Add "Name: value" to the request and, masked where sensitive, to the
 * record of what was sent. */
static int add_header(struct transfer *t, const char *name, const char *value, size_t *reclen, char *err)
{
	size_t n = strlen(name) + strlen(value) + 3;
	char *line = malloc(n), *grown;
	struct curl_slist *l;
	struct sbuf shown;

	if (!line) {
		err_oom(err, "request headers");
		return -1;
	}
	snprintf(line, n, "%s: %s", name, value);
	l = curl_slist_append(t->headers, line);
	free(line);
	if (!l) {
		err_oom(err, "request headers");
		return -1;
	}
	t->headers = l;
	sbuf_init(&shown);
	sbuf_appendf(&shown, "%s: ", name);
	mask_header_value(&shown, name, value);
	if (sbuf_append(&shown, "\n") < 0 || !(grown = realloc(t->request_headers, *reclen + shown.len + 1))) {
		sbuf_release(&shown);
		err_oom(err, "request headers");
		return -1;
	}
	t->request_headers = grown;
	memcpy(t->request_headers + *reclen, shown.text, shown.len + 1);
	*reclen += shown.len;
	sbuf_release(&shown);
	return 0;
}

static int build_headers(struct transfer *t, long long now_ms, char *err)
{
	struct job *j = &t->job;
	char ts[32], sig[SIGN_HEADERS_MAX];
	size_t i, reclen = 0;

	snprintf(ts, sizeof ts, "%lld", now_ms / 1000);
	if (add_header(t, "Content-Type", "application/json", &reclen, err) < 0 ||
	    add_header(t, "User-Agent", "hookman/" PACKAGE_VERSION, &reclen, err) < 0 ||
	    add_header(t, "webhook-id", j->uid, &reclen, err) < 0 ||
	    add_header(t, "webhook-timestamp", ts, &reclen, err) < 0)
		return -1;
	if (j->secret) {
		/* The previous secret signs too until its grace ends at
		 * this attempt's time, not the claim's. */
		const char *prev = now_ms < j->secret_previous_until ? j->secret_previous : NULL;

		if (sign_webhook_header(j->secret, prev, j->uid, now_ms / 1000, j->body, j->body_len, sig,
					err) < 0 ||
		    add_header(t, "webhook-signature", sig, &reclen, err) < 0)
			return -1;
	}
	for (i = 0; i < j->nheaders; i++) {
		char *name = NULL, *value = NULL;
		int rc;

		/* Checked when saved; checked again so a row edited behind
		 * hookman's back cannot inject a header. */
		if (header_parse(j->headers[i], &name, &value, err) < 0)
			return -1;
		rc = add_header(t, name, value, &reclen, err);
		free(name);
		free(value);
		if (rc < 0)
			return -1;
	}
	/* No "Expect: 100-continue" round trip before larger bodies. */
	t->headers = curl_slist_append(t->headers, "Expect:");
	return t->headers ? 0 : -1;
}

/* libcurl asks for each socket once the address is known (after DNS, for
 * every address it tries): the one place where the policy sees the
 * address that would really be connected to, whatever the name said. */
static curl_socket_t open_socket(void *userp, curlsocktype purpose, struct curl_sockaddr *addr)
{
	struct transfer *t = userp;
	const char *kind = netpolicy_private_kind(&addr->addr, addr->addrlen);

	(void)purpose;
	if (kind) {
		netpolicy_describe(&addr->addr, kind, t->denied, sizeof t->denied);
		return CURL_SOCKET_BAD;
	}
	return socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
}

struct transfer *http_prepare(struct job *job, long long now_ms, const struct http_options *opt,
			      CURL *reuse, char *err)
{
	struct transfer *t = calloc(1, sizeof *t);
	CURL *e;

	if (!t) {
		queue_job_free(job);
		if (reuse)
			curl_easy_cleanup(reuse);
		return err_oom(err, "transfer");
	}
	t->job = *job;
	memset(job, 0, sizeof *job);
	t->client = -1;
	t->retry_after_ms = -1;
	t->started_at = now_ms;
	e = t->easy = reuse ? reuse : curl_easy_init();
	if (!e) {
		err_set(err, "cannot create a libcurl handle");
		goto fail;
	}
	if (build_headers(t, now_ms, err) < 0)
		goto fail;
	if (curl_easy_setopt(e, CURLOPT_URL, t->job.url) != CURLE_OK) {
		err_set(err, "libcurl refused the URL");
		goto fail;
	}
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_POST, 1L);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->job.body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)t->job.body_len);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)HTTP_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
			 opt->timeout_ms > 0 ? opt->timeout_ms : (long)t->job.timeout * 1000L);
	if (opt->deny_private) {
		curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
		curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, t);
	}
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, t->job.verify_tls ? 1L : 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, t->job.verify_tls ? 2L : 0L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	return t;
fail:
	http_free(t, 0);
	return NULL;
}

/* libcurl refuses a response header line over CURL_MAX_HTTP_HEADER with
 * "Out of memory" (CURLE_TOO_LARGE since 8.6.0); while headers are being
 * read that is what the error means. */
static int header_line_too_long(const struct transfer *t, CURLcode code)
{
	if (!t->in_headers)
		return 0;
#if LIBCURL_VERSION_NUM >= 0x080600
	if (code == CURLE_TOO_LARGE)
		return 1;
#endif
	return code == CURLE_OUT_OF_MEMORY;
}

/* A transport failure in the operator's words first, then libcurl's own
 * (which tests and searches may look for): every front end shows the
 * same sentence, and none has to read libcurl's English to word it. */
static void plain_failure(const struct transfer *t, CURLcode code, char *errtext, size_t errsize)
{
	const char *curl = t->errbuf[0] ? t->errbuf : curl_easy_strerror(code);
	const char *host;
	char *ip = NULL;
	long port = 0;
	size_t hlen;

	curl_easy_getinfo(t->easy, CURLINFO_PRIMARY_IP, &ip);
	curl_easy_getinfo(t->easy, CURLINFO_PRIMARY_PORT, &port);
	host = webhook_url_host(t->job.url, &hlen);
	/* libcurl has no address or port for a connection it never made:
	 * the URL's then (its port, or the scheme's). */
	if (!port)
		port = host[hlen] == ':' ? strtol(host + hlen + 1, NULL, 10) :
		       strncasecmp(t->job.url, "https:", 6) == 0 ? 443 : 80;
	if (code == CURLE_COULDNT_CONNECT && ip && *ip)
		snprintf(errtext, errsize, "cannot connect to %s:%ld (nothing listens there, or a firewall) — %s", ip,
			 port, curl);
	else if (code == CURLE_COULDNT_CONNECT)
		snprintf(errtext, errsize, "cannot connect to %.*s:%ld (nothing listens there, or a firewall) — %s",
			 (int)hlen, host, port, curl);
	else if (code == CURLE_OPERATION_TIMEDOUT)
		snprintf(errtext, errsize, "no answer in time (timed out) — %s", curl);
	else if (code == CURLE_COULDNT_RESOLVE_HOST)
		snprintf(errtext, errsize, "cannot resolve the host name %.*s — %s", (int)hlen, host, curl);
	else
		snprintf(errtext, errsize, "%s", curl);
}

void http_outcome(struct transfer *t, CURLcode code, long long now_ms, struct outcome *o,
		  char *errtext, size_t errsize)
{
	long status = 0;

	memset(o, 0, sizeof *o);
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	o->started_at = t->started_at;
	o->duration_ms = now_ms - t->started_at;
	o->request_headers = t->request_headers;
	o->response_headers = t->resp_headers_len ? t->resp_headers : NULL;
	o->response_body = t->body_len ? t->body : NULL;
	o->response_len = t->body_len;
	o->response_size = t->body_size;
	o->retry_after_ms = t->retry_after_ms;
	o->timed_out = code == CURLE_OPERATION_TIMEDOUT;
	errtext[0] = '\0';
	if (code == CURLE_WRITE_ERROR && t->stop == HTTP_STOP_BODY) {
		/* hookmand stopped reading a body longer than its excerpt: the
		 * response arrived. Its size is what the receiver declared when
		 * that says more than what was read. */
		curl_off_t declared = -1;

		curl_easy_getinfo(t->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &declared);
		if (declared > o->response_size)
			o->response_size = declared;
	} else if (code != CURLE_OK) {
		/* A transport failure: no status counts, even a partial one. */
		if (t->denied[0])
			snprintf(errtext, errsize, "refused by the --deny-private policy: %s", t->denied);
		else if (code == CURLE_WRITE_ERROR && t->stop == HTTP_STOP_HEADERS)
			snprintf(errtext, errsize,
				 "the response's headers are larger than %d KiB (hookman's limit); stopped reading",
				 HTTP_HEADERS_MAX / 1024);
		else if (header_line_too_long(t, code))
			snprintf(errtext, errsize,
				 "a response header line is longer than libcurl accepts (%d KiB); stopped reading",
				 CURL_MAX_HTTP_HEADER / 1024);
		else
			plain_failure(t, code, errtext, errsize);
		o->error = errtext;
		return;
	}
	o->status = (int)status;
	if (status >= 300 && status <= 399)
		snprintf(errtext, errsize, "redirect to %s not followed (update the webhook's URL)",
			 t->location[0] ? t->location : "(no Location header)");
	else if (status < 200 || status > 299)
		snprintf(errtext, errsize, "HTTP %ld", status);
	if (errtext[0])
		o->error = errtext;
}

CURL *http_free(struct transfer *t, int keep)
{
	CURL *easy;

	if (!t)
		return NULL;
	easy = t->easy;
	if (easy && keep)
		curl_easy_reset(easy);
	else if (easy)
		curl_easy_cleanup(easy);
	curl_slist_free_all(t->headers);
	free(t->request_headers);
	free(t->body);
	free(t->resp_headers);
	queue_job_free(&t->job);
	free(t);
	return keep ? easy : NULL;
}
