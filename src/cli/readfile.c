#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "sbuf.h"
#include "scratch.h"

/* "64 MiB", "1 KiB", "100 bytes": a size limit in words. */
static void size_words(struct sbuf *b, size_t n)
{
	if (n % (1024 * 1024) == 0)
		sbuf_appendf(b, "%zu MiB", n / (1024 * 1024));
	else if (n % 1024 == 0)
		sbuf_appendf(b, "%zu KiB", n / 1024);
	else
		sbuf_appendf(b, "%zu bytes", n);
}

char *readfile_max(const char *path, size_t max, size_t *len, int text, char *err)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	const char *name = fd == STDIN_FILENO ? "standard input" : path;
	size_t cap = 65536, n = 0;
	char *buf = NULL, *grown, *nul;
	ssize_t got;

	if (fd < 0) {
		err_set(err, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	if (max > READFILE_MAX)
		max = READFILE_MAX;
	if (cap > max + 2)
		cap = max + 2;
	buf = malloc(cap);
	if (!buf) {
		err_oom(err, name);
		goto fail;
	}
	/* Read up to max + 1 bytes: one more than allowed proves the file is
	 * too large without reading the rest of it. */
	for (;;) {
		if (n + 1 >= cap) {
			if (n > max) {
				struct sbuf limit;

				sbuf_init(&limit);
				size_words(&limit, max);
				err_set(err, "%s is larger than %s", name, sbuf_text(&limit));
				sbuf_release(&limit);
				goto fail;
			}
			cap = cap > (max + 2) / 2 ? max + 2 : cap * 2;
			grown = realloc(buf, cap);
			if (!grown) {
				err_oom(err, name);
				goto fail;
			}
			buf = grown;
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			err_set(err, "cannot read %s: %s", name, strerror(errno));
			goto fail;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	buf[n] = '\0';
	if (text && (nul = memchr(buf, '\0', n))) {
		err_set(err, "%s has a NUL byte at offset %zu; it must be text", name, (size_t)(nul - buf));
		goto fail;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	*len = n;
	return buf;
fail:
	free(buf);
	if (fd != STDIN_FILENO)
		close(fd);
	return NULL;
}

char *readfile(const char *path, size_t *len, int text, char *err)
{
	return readfile_max(path, READFILE_MAX, len, text, err);
}

int writefile_atomic(const char *path, const char *data, size_t len, char *err)
{
	char tmp[4096], stem[4096];
	size_t off = 0;
	ssize_t put;
	int fd;

	snprintf(stem, sizeof stem, "%s.tmp.", path);
	fd = scratch_open(tmp, sizeof tmp, stem, "", err);
	if (fd < 0)
		return -1;
	while (off < len) {
		put = write(fd, data + off, len - off);
		if (put < 0) {
			if (errno == EINTR)
				continue;
			err_set(err, "cannot write %s: %s", path, strerror(errno));
			goto fail;
		}
		off += (size_t)put;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		err_set(err, "cannot write %s: %s", path, strerror(errno));
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		err_set(err, "cannot replace %s: %s", path, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

char *readfile_dir(const char *path)
{
	char *copy, *dir;

	if (!(copy = strdup(strcmp(path, "-") == 0 ? "./-" : path)))
		return NULL;
	dir = realpath(dirname(copy), NULL);
	free(copy);
	return dir;
}
