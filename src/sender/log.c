#include "log.h"

#include <errno.h>
#include <fcntl.h>
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
	int fd;

	if (!p) {
		out = stderr;
		return 0;
	}
	/* Private from its creation, and never through a symbolic link that
	 * someone planted where the log should be. */
	fd = open(p, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		err_set(err, "cannot open the log %s: %s", p,
			errno == ELOOP ? "it is a symbolic link" : strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0600) < 0 || !(f = fdopen(fd, "a"))) {
		err_set(err, "cannot open the log %s: %s", p, strerror(errno));
		close(fd);
		return -1;
	}
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
