#include "external.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "scratch.h"
#include "term.h"

#define EDIT_MAX (16 * 1024 * 1024)

static int write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static char *read_back(const char *path, char *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 65536, len = 0;
	char *buf = fd >= 0 ? malloc(cap) : NULL, *grown;
	ssize_t got;

	if (!buf) {
		err_set(err, "cannot read the edited file back: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((got = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)got;
		if (len + 1 == cap) {
			if (cap >= EDIT_MAX || !(grown = realloc(buf, cap * 2))) {
				err_set(err, "the edited file is too large");
				free(buf);
				close(fd);
				return NULL;
			}
			buf = grown;
			cap *= 2;
		}
	}
	close(fd);
	buf[len] = '\0';
	/* Editors end files with a newline; the payload did not have one. */
	while (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return buf;
}

char *external_edit(const char *text, const char *suffix, char *err)
{
	const char *editor = getenv("VISUAL"), *tmp = getenv("TMPDIR");
	char path[512], stem[400], words[1024], *argv[32], *tok, *save = NULL, *out = NULL;
	int fd, status, argc = 0;
	pid_t pid;

	if (!editor || !*editor)
		editor = getenv("EDITOR");
	if (!editor || !*editor)
		editor = "vi";
	snprintf(words, sizeof words, "%s", editor);
	for (tok = strtok_r(words, " \t", &save); tok && argc < 30; tok = strtok_r(NULL, " \t", &save))
		argv[argc++] = tok;
	if (argc == 0)
		argv[argc++] = "vi";   /* $EDITOR was only blanks */
	snprintf(stem, sizeof stem, "%s/hookman-payload-", tmp && *tmp ? tmp : "/tmp");
	fd = scratch_open(path, sizeof path, stem, suffix, err);
	if (fd < 0)
		return NULL;
	if (write_all(fd, text, strlen(text)) < 0 || write_all(fd, "\n", 1) < 0 || close(fd) < 0) {
		err_set(err, "cannot write %s: %s", path, strerror(errno));
		unlink(path);
		return NULL;
	}
	argv[argc++] = path;
	argv[argc] = NULL;
	term_suspend();
	pid = fork();
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "hookman: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	term_resume();
	if (pid < 0)
		err_set(err, "cannot start %s: %s", argv[0], strerror(errno));
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		err_set(err, "%s exited with %s %d: the payload is unchanged", argv[0],
			WIFEXITED(status) ? "status" : "signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	else
		out = read_back(path, err);
	unlink(path);
	return out;
}
