/* A real HTTP receiver for the sender tests, on 127.0.0.1 only. It records
 * every request (one JSON line each: path, headers, body, how many requests
 * to that path were being handled at once) and answers by path:
 *   /ok                 200
 *   /status/N           status N
 *   /retry-after/N      429 with "Retry-After: N"
 *   /retry-date         503 with a Retry-After HTTP date 2 s ahead
 *   /gone               410
 *   /redirect           302 to http://127.0.0.1:9/elsewhere
 *   /slow/MS, /hold/MS  wait MS milliseconds, then 200
 *   /reset              reset the connection without answering
 *   /big                200 with a 10 MiB body
 *   /flaky/N            500 for the first N requests to that path, then 200
 *   /fail/P/…           500 for P % of requests at random, else 200 (the log
 *                       line's "answer" says which)
 *   /hostile            302 whose header, Location and body hold terminal
 *                       escape sequences (ESC, BEL, a UTF-8 C1 CSI)
 *   /hang/…             read the request, never answer; hold the connection
 *                       until the client closes it
 *   /endless            200 with a chunked body that never ends (until the
 *                       client closes, or 1 GiB)
 *   /bigheader/N        200 with one response header line of N bytes
 *   /manyheaders/N      200 with N response header lines of 1,000 bytes
 *   /limit/N/S/…        429 "Retry-After: S" for the first N requests to
 *                       that path, then 200
 * Usage: sink PORTFILE LOGFILE [PORT]  (binds PORT, default any, and writes
 * the port it got to PORTFILE). */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PATHS 256

static FILE *logf_;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char path[128];
	int inflight, seen;
} paths[MAX_PATHS];

static int path_slot(const char *path)
{
	int i;

	for (i = 0; i < MAX_PATHS && paths[i].path[0]; i++)
		if (strcmp(paths[i].path, path) == 0)
			return i;
	if (i == MAX_PATHS)
		return MAX_PATHS - 1;
	snprintf(paths[i].path, sizeof paths[i].path, "%s", path);
	return i;
}

static int send_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int respond(int fd, int status, const char *extra, const char *body, size_t len)
{
	char head[128];
	int n = snprintf(head, sizeof head, "HTTP/1.1 %d X\r\nContent-Length: %zu\r\n", status, len);
	static const char tail[] = "Content-Type: text/plain\r\n\r\n";

	return send_all(fd, head, (size_t)n) < 0 || send_all(fd, extra, strlen(extra)) < 0 ||
	       send_all(fd, tail, sizeof tail - 1) < 0 || send_all(fd, body, len) < 0 ? -1 : 0;
}

/* A 200 whose chunked body never ends: 16 KiB chunks until the client
 * goes away (or 1 GiB, so a broken client cannot keep the sink busy). */
static int endless(int fd)
{
	static const char head[] = "HTTP/1.1 200 X\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n";
	static char chunk[16 * 1024 + 16];
	size_t n, sent = 0;

	n = (size_t)sprintf(chunk, "4000\r\n");
	memset(chunk + n, 'y', 16 * 1024);
	memcpy(chunk + n + 16 * 1024, "\r\n", 2);
	n += 16 * 1024 + 2;
	if (send_all(fd, head, sizeof head - 1) < 0)
		return -1;
	while (sent < (size_t)1 << 30) {
		if (send_all(fd, chunk, n) < 0)
			return -1;
		sent += n;
	}
	return -1;
}

/* A 200 with one header line of `one` bytes, or `lines` lines of 1,000. */
static int big_headers(int fd, long one, long lines)
{
	size_t size = one > 0 ? (size_t)one + 32 : (size_t)lines * 1010 + 32, n = 0;
	char *extra = malloc(size + 1);
	long i;
	int rc;

	if (!extra)
		return -1;
	if (one > 0) {
		n = (size_t)sprintf(extra, "X-Big: ");
		memset(extra + n, 'h', (size_t)one);
		n += (size_t)one;
		memcpy(extra + n, "\r\n", 2);
		n += 2;
	} else {
		for (i = 0; i < lines; i++) {
			n += (size_t)sprintf(extra + n, "X-Many-%06ld: ", i);
			memset(extra + n, 'm', 1000 - 16);
			n += 1000 - 16;
			memcpy(extra + n, "\r\n", 2);
			n += 2;
		}
	}
	extra[n] = '\0';
	rc = respond(fd, 200, extra, "ok", 2);
	free(extra);
	return rc;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read one request; returns 0 and fills the outputs, -1 at end of stream. */
static int read_request(int fd, char *buf, size_t cap, size_t *have, char **path, json_t *headers,
			char **body, size_t *blen)
{
	char *end, *line, *next;
	size_t hlen, clen = 0;
	ssize_t got;

	while (!(end = memmem(buf, *have, "\r\n\r\n", 4))) {
		if (*have == cap)
			return -1;
		got = recv(fd, buf + *have, cap - *have, 0);
		if (got <= 0)
			return -1;
		*have += (size_t)got;
	}
	hlen = (size_t)(end - buf) + 4;
	*end = '\0';
	line = buf;
	next = strstr(line, "\r\n");
	if (next)
		*next = '\0';
	*path = strchr(line, ' ');
	if (!*path)
		return -1;
	(*path)++;
	*strchrnul(*path, ' ') = '\0';
	for (line = next ? next + 2 : NULL; line && *line; line = next) {
		char *colon = strchr(line, ':'), *v, *k;

		next = strstr(line, "\r\n");
		if (next) {
			*next = '\0';
			next += 2;
		}
		if (!colon)
			continue;
		*colon = '\0';
		for (k = line; *k; k++)
			*k = (char)(*k >= 'A' && *k <= 'Z' ? *k - 'A' + 'a' : *k);
		v = colon + 1;
		while (*v == ' ')
			v++;
		json_object_set_new(headers, line, json_string(v));
		if (strcmp(line, "content-length") == 0)
			clen = strtoul(v, NULL, 10);
	}
	if (clen > cap - hlen)
		return -1;
	while (*have < hlen + clen) {
		got = recv(fd, buf + *have, cap - *have, 0);
		if (got <= 0)
			return -1;
		*have += (size_t)got;
	}
	*body = buf + hlen;
	*blen = clen;
	return (int)(hlen + clen);
}

static void *serve(void *arg)
{
	int fd = (int)(long)arg;
	size_t cap = 4 * 1024 * 1024, have = 0;
	char *buf = malloc(cap);

	while (buf) {
		json_t *headers = json_object(), *rec;
		char *path, *body, *line;
		size_t blen;
		int used = read_request(fd, buf, cap, &have, &path, headers, &body, &blen), slot, inflight, seen;
		long ms = 0, n = 0;
		int answer = 0;

		if (used < 0) {
			json_decref(headers);
			break;
		}
		pthread_mutex_lock(&mu);
		slot = path_slot(path);
		inflight = ++paths[slot].inflight;
		seen = ++paths[slot].seen;
		if (sscanf(path, "/fail/%ld", &n) == 1)
			answer = random() % 100 < n ? 500 : 200;
		rec = json_pack("{s:I, s:s, s:o, s:s%, s:i, s:i, s:i}", "t", (json_int_t)now_ms(), "path", path,
				"headers", headers, "body", body, blen, "inflight", inflight, "seen", seen,
				"answer", answer);
		line = json_dumps(rec, JSON_COMPACT);
		if (line) {
			fprintf(logf_, "%s\n", line);
			fflush(logf_);
		}
		free(line);
		json_decref(rec);
		pthread_mutex_unlock(&mu);

		if (sscanf(path, "/slow/%ld", &ms) == 1 || sscanf(path, "/hold/%ld", &ms) == 1)
			usleep((useconds_t)ms * 1000);
		if (strncmp(path, "/hang/", 6) == 0) {
			char sink[256];

			while (recv(fd, sink, sizeof sink, 0) > 0)
				;
			pthread_mutex_lock(&mu);
			paths[slot].inflight--;
			pthread_mutex_unlock(&mu);
			break;
		}
		if (strcmp(path, "/reset") == 0) {
			struct linger lg = { 1, 0 };

			setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
			pthread_mutex_lock(&mu);
			paths[slot].inflight--;
			pthread_mutex_unlock(&mu);
			break;
		}
		{
			int rc;

			if (answer)
				rc = respond(fd, answer, "", answer == 200 ? "ok" : "random failure", answer == 200 ? 2 : 14);
			else if (sscanf(path, "/status/%ld", &n) == 1)
				rc = respond(fd, (int)n, "", "status", 6);
			else if (sscanf(path, "/retry-after/%ld", &n) == 1) {
				char extra[64];

				snprintf(extra, sizeof extra, "Retry-After: %ld\r\n", n);
				rc = respond(fd, 429, extra, "slow down", 9);
			} else if (strcmp(path, "/retry-date") == 0) {
				char extra[96], date[64];
				time_t t = time(NULL) + 2;
				struct tm tm;

				gmtime_r(&t, &tm);
				strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
				snprintf(extra, sizeof extra, "Retry-After: %s\r\n", date);
				rc = respond(fd, 503, extra, "maintenance", 11);
			} else if (strcmp(path, "/gone") == 0)
				rc = respond(fd, 410, "", "gone", 4);
			else if (strcmp(path, "/redirect") == 0)
				rc = respond(fd, 302, "Location: http://127.0.0.1:9/elsewhere\r\n", "", 0);
			else if (strcmp(path, "/big") == 0) {
				size_t big = 10 * 1024 * 1024;
				char *b = malloc(big);

				memset(b, 'x', big);
				rc = respond(fd, 200, "", b, big);
				free(b);
			} else if (strcmp(path, "/hostile") == 0) {
				static const char evil[] = "\x1b]0;pwned\x07\x1b[2J\xc2\x9b" "31mred";

				rc = respond(fd, 302, "X-Evil: \x1b[31mred\r\nLocation: http://x/\x1b[2J\xc2\x9b" "1m\r\n",
					     evil, sizeof evil - 1);
			} else if (strcmp(path, "/endless") == 0) {
				rc = endless(fd);
			} else if (sscanf(path, "/bigheader/%ld", &n) == 1 || sscanf(path, "/manyheaders/%ld", &ms) == 1) {
				rc = big_headers(fd, n, ms);
			} else if (sscanf(path, "/limit/%ld/%ld", &n, &ms) == 2) {
				char extra[64];

				snprintf(extra, sizeof extra, "Retry-After: %ld\r\n", ms);
				rc = seen <= n ? respond(fd, 429, extra, "slow down", 9) : respond(fd, 200, "", "ok", 2);
			} else if (sscanf(path, "/flaky/%ld", &n) == 1)
				rc = seen <= n ? respond(fd, 500, "", "flaky", 5) : respond(fd, 200, "", "ok", 2);
			else
				rc = respond(fd, 200, "", "{\"received\":true}", 17);
			pthread_mutex_lock(&mu);
			paths[slot].inflight--;
			pthread_mutex_unlock(&mu);
			if (rc < 0)
				break;
		}
		memmove(buf, buf + used, have - (size_t)used);
		have -= (size_t)used;
	}
	free(buf);
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	FILE *pf;
	int lfd, one = 1;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: sink PORTFILE LOGFILE [PORT]\n");
		return 2;
	}
	srandom((unsigned)getpid() ^ (unsigned)now_ms());
	signal(SIGPIPE, SIG_IGN);
	logf_ = fopen(argv[2], "a");
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (argc == 4)
		sa.sin_port = htons((unsigned short)atoi(argv[3]));
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (!logf_ || lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lfd, 512) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &len) < 0) {
		perror("sink");
		return 1;
	}
	pf = fopen(argv[1], "w");
	if (!pf) {
		perror(argv[1]);
		return 1;
	}
	fprintf(pf, "%d\n", ntohs(sa.sin_port));
	fclose(pf);
	for (;;) {
		pthread_t th;
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (pthread_create(&th, NULL, serve, (void *)(long)fd) != 0) {
			close(fd);
			continue;
		}
		pthread_detach(th);
	}
}
