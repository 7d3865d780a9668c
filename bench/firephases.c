/* bench/firephases STORE TYPE N: the steps of 'hookman fire TYPE', each
 * timed, N times over, with the core library the CLI uses: catalog load,
 * store open (PRAGMAs, schema check), the transaction without its commit,
 * the commit (its fsync), the wake sent to hookmand, its answer, the
 * close. Prints the median of each in microseconds. The process start is
 * not here: bench/deliver times 'hookman --version' for it. Built by
 * bench/deliver against src/core/libhookman.a; the store must hold a
 * webhook subscribed to TYPE and a hookmand should run on it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog.h"
#include "control.h"
#include "datadir.h"
#include "err.h"
#include "event.h"
#include "fanout.h"
#include "store.h"

enum { CATALOG, OPEN, EVENT, TX, COMMIT, WAKE, ANSWER, CLOSE, NPHASES };
static const char *const names[NPHASES] = {
	"catalog load", "store open", "event (sample, id)", "transaction (no commit)",
	"commit (fsync)", "wake sent", "wake answer read", "store close",
};

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One fire, its steps' times into t. */
static int fire(const char *dir, const char *type, double *t, char *err)
{
	struct control_pending p;
	struct fanout_result res;
	struct catalog *cat;
	struct store *st;
	struct event ev;
	double t0 = now_us(), t1;

#define LAP(i) (t1 = now_us(), t[i] = t1 - t0, t0 = t1)
	if (!(cat = catalog_load(datadir_resolve(NULL), err)))
		return -1;
	LAP(CATALOG);
	if (!(st = store_open(dir, err)))
		return -1;
	LAP(OPEN);
	if (event_init(&ev, cat, type, NULL, NULL, err) < 0)
		return -1;
	LAP(EVENT);
	if (store_begin(st, err) < 0 || fanout_fire_in_tx(st, &ev, &res, err) < 0)
		return -1;
	LAP(TX);
	if (store_commit(st, err) < 0)
		return -1;
	LAP(COMMIT);
	if (control_wake_start(dir, &p, err) < 0)
		return -1;
	LAP(WAKE);
	if (control_wake_finish(&p, 2000, NULL, err) < 0)
		return -1;
	LAP(ANSWER);
	event_clear(&ev);
	store_close(st);
	catalog_free(cat);
	LAP(CLOSE);
#undef LAP
	return 0;
}

int main(int argc, char **argv)
{
	char err[ERR_MAX];
	double *t;
	int n, i, k;

	if (argc != 4 || (n = atoi(argv[3])) < 1) {
		fprintf(stderr, "usage: firephases STORE TYPE N\n");
		return 2;
	}
	t = calloc((size_t)n * NPHASES, sizeof *t);
	if (!t)
		return 1;
	for (i = 0; i < n; i++)
		if (fire(argv[1], argv[2], t + (size_t)i * NPHASES, err) < 0) {
			fprintf(stderr, "firephases: %s\n", err);
			return 1;
		}
	for (k = 0; k < NPHASES; k++) {
		double *col = calloc((size_t)n, sizeof *col);

		if (!col)
			return 1;
		for (i = 0; i < n; i++)
			col[i] = t[(size_t)i * NPHASES + k];
		qsort(col, (size_t)n, sizeof *col, cmp);
		printf("  %-26s %8.0f us\n", names[k], col[n / 2]);
		free(col);
	}
	free(t);
	return 0;
}
