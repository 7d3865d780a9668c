#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "err.h"

static FILE *out;
static char path[4096];

int log_open(const char *p, char *err)
{
	FILE *f;

	if (!p) {
		out = stderr;
		return 0;
	}
	f = fopen(p, "ae");
	if (!f) {
		err_set(err, "cannot open the log %s: %s", p, strerror(errno));
		return -1;
	}
	fchmod(fileno(f), 0600);
	setvbuf(f, NULL, _IOLBF, 0);
	if (out && out != stderr)
		fclose(out);
	out = f;
	snprintf(path, sizeof path, "%s", p);
	return 0;
}

void log_reopen(void)
{
	char err[ERR_MAX];

	if (out != stderr && *path && log_open(path, err) < 0)
		fprintf(stderr, "hookmand: %s\n", err);
}

int log_fd(void)
{
	return out ? fileno(out) : STDERR_FILENO;
}

void log_msg(const char *fmt, ...)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	if (!out)
		out = stderr;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(out, "%s hookmand[%ld]: ", when, (long)getpid());
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
	fflush(out);
}
