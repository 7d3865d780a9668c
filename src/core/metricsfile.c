#include "metricsfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "sbuf.h"

/* The collector reads *.prom only: PATH.tmp, in the same directory (a
 * rename cannot cross file systems), is never read half written. It is
 * not synced: the next write comes within seconds, which is sooner than
 * anyone would notice a file lost to a power cut. */
int metricsfile_write(const char *path, const char *text, char *err)
{
	struct sbuf tmp;
	size_t len = strlen(text), done = 0;
	int fd, rc = -1;

	sbuf_init(&tmp);
	sbuf_appendf(&tmp, "%s.tmp", path);
	if (tmp.failed) {
		err_oom(err, "the metrics file's name");
		return -1;
	}
	fd = open(sbuf_text(&tmp), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		err_setk(err, ERR_IO, "cannot create %s: %s; the metrics file's directory must exist and be "
			 "writable by hookmand", sbuf_text(&tmp), strerror(errno));
		sbuf_release(&tmp);
		return -1;
	}
	if (fchmod(fd, 0644) < 0) {
		err_setk(err, ERR_IO, "cannot make %s readable by all: %s", sbuf_text(&tmp), strerror(errno));
		goto out;
	}
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_setk(err, ERR_IO, "cannot write %s: %s", sbuf_text(&tmp), strerror(errno));
			goto out;
		}
		done += (size_t)n;
	}
	if (close(fd) < 0) {
		fd = -1;
		err_setk(err, ERR_IO, "cannot write %s: %s", sbuf_text(&tmp), strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(sbuf_text(&tmp), path) < 0) {
		int e = errno;

		err_setk(err, ERR_IO, "cannot replace %s with %s: %s%s", path, sbuf_text(&tmp), strerror(e),
			 e == EISDIR ? "; give the path of a file (such as DIR/hookman.prom), not of a directory" : "");
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		unlink(sbuf_text(&tmp));
	sbuf_release(&tmp);
	return rc;
}
