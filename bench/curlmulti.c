/* The floor for bench/deliver: POST the same body N times with libcurl's
 * multi interface, C requests at once, no store, no bookkeeping. Prints
 * the elapsed milliseconds.  Usage: curlmulti URL BODYFILE N C */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static size_t discard(char *p, size_t s, size_t n, void *u)
{
	(void)p;
	(void)u;
	return s * n;
}

static CURL *make(const char *url, const char *body, long len, struct curl_slist *h)
{
	CURL *e = curl_easy_init();

	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, len);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	return e;
}

int main(int argc, char **argv)
{
	struct curl_slist *h = NULL;
	struct timespec a, b;
	long n, c, started = 0, done = 0, failed = 0, len;
	char body[65536];
	FILE *f;
	CURLM *m;

	if (argc != 5 || !(f = fopen(argv[2], "rb"))) {
		fprintf(stderr, "usage: curlmulti URL BODYFILE N CONCURRENCY\n");
		return 2;
	}
	len = (long)fread(body, 1, sizeof body, f);
	fclose(f);
	n = atol(argv[3]);
	c = atol(argv[4]);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Expect:");
	m = curl_multi_init();
	curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, c);
	clock_gettime(CLOCK_MONOTONIC, &a);
	while (started < n && started < c) {
		curl_multi_add_handle(m, make(argv[1], body, len, h));
		started++;
	}
	while (done < n) {
		CURLMsg *msg;
		int running, left;

		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left))) {
			long code = 0;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
			if (msg->data.result != CURLE_OK || code / 100 != 2)
				failed++;
			curl_multi_remove_handle(m, msg->easy_handle);
			curl_easy_cleanup(msg->easy_handle);
			done++;
			if (started < n) {
				curl_multi_add_handle(m, make(argv[1], body, len, h));
				started++;
			}
		}
		if (done < n)
			curl_multi_poll(m, NULL, 0, 1000, NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%ld\n", (long)((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000));
	if (failed)
		fprintf(stderr, "curlmulti: %ld requests failed\n", failed);
	curl_multi_cleanup(m);
	curl_slist_free_all(h);
	curl_global_cleanup();
	return failed ? 1 : 0;
}
