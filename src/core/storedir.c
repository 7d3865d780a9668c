#include "storedir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "err.h"
#include "sbuf.h"

/* Append "/name" to b, or just name when b ends in a slash (realpath
 * gives "/" for the root). */
static void append_component(struct sbuf *b, const char *name)
{
	if (b->len == 0 || sbuf_text(b)[b->len - 1] != '/')
		sbuf_append(b, "/");
	sbuf_append(b, name);
}

/* path with its directory part resolved (symbolic links, "." and "..",
 * relative to the current directory) and its last component kept as
 * written: a new string the caller frees, or NULL with err set (out of
 * memory). Directories that do not exist yet are kept as written below
 * the deepest one that does: storedir_prepare creates them 0700, so they
 * hold no link. When realpath fails for another reason (EACCES, ENOTDIR,
 * ELOOP), path comes back unchanged and storedir_prepare reports the
 * problem as it always has. */
static char *resolve_parent(const char *path, char *err)
{
	char *copy = strdup(path), *slash, *last, *real = NULL, *cut = NULL, *up, *res;
	const char *parent;
	struct sbuf out;
	size_t len;

	if (!copy)
		return err_oom(err, "store directory");
	/* "DIR/" names DIR: drop trailing slashes (but keep "/"). */
	len = strlen(copy);
	while (len > 1 && copy[len - 1] == '/')
		copy[--len] = '\0';
	slash = strrchr(copy, '/');
	last = slash ? slash + 1 : copy;
	if (strcmp(copy, "/") == 0 || strcmp(last, ".") == 0 || strcmp(last, "..") == 0) {
		/* No name of its own: "." or ".." is never a link, so all
		 * of it is resolved. */
		real = realpath(copy, NULL);
		goto done;
	}
	if (slash == copy) {
		parent = "/";
	} else if (slash) {
		*slash = '\0';
		parent = copy;
	} else {
		parent = ".";
	}
	/* Walk up while the parent does not exist yet. copy holds the
	 * parent so far, cut the missing part below it (its first slash
	 * overwritten by the NUL that ends the parent). */
	while (!(real = realpath(parent, NULL)) && errno == ENOENT && parent == copy) {
		up = strrchr(copy, '/');
		if (cut)
			cut[-1] = '/';
		if (!up) {
			cut = copy;
			parent = ".";
		} else if (up == copy) {
			cut = copy + 1;
			parent = "/";
		} else {
			*up = '\0';
			cut = up + 1;
		}
	}
	if (real) {
		sbuf_init(&out);
		sbuf_append(&out, real);
		while (cut && *cut == '/')
			cut++;
		if (cut && *cut)
			append_component(&out, cut);
		append_component(&out, last);
		free(real);
		real = sbuf_take(&out);
		if (!real) {
			free(copy);
			return err_oom(err, "store directory");
		}
	}
done:
	free(copy);
	if (real)
		return real;
	res = strdup(path);
	return res ? res : err_oom(err, "store directory");
}

int storedir_resolve(const char *opt, char *out, size_t size, char *err)
{
	const char *env = getenv("HOOKMAN_STORE"), *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	struct sbuf path;
	char *text, *resolved;
	size_t n;

	sbuf_init(&path);
	if (opt && *opt)
		sbuf_append(&path, opt);
	else if (env && *env)
		sbuf_append(&path, env);
	else if (xdg && *xdg == '/')
		/* The XDG Base Directory spec: a relative path in
		 * $XDG_DATA_HOME is invalid and must be ignored. */
		sbuf_appendf(&path, "%s/hookman", xdg);
	else if (home && *home)
		sbuf_appendf(&path, "%s/.local/share/hookman", home);
	else {
		err_setk(err, ERR_INVALID, "no store directory: pass --store DIR or set HOOKMAN_STORE");
		return -1;
	}
	text = sbuf_take(&path);
	if (!text) {
		err_oom(err, "store directory");
		return -1;
	}
	/* A database's address is libpq's to read, as written. */
	if (storedir_is_uri(text)) {
		n = strlen(text);
		if (n >= size) {
			err_setk(err, ERR_INVALID, "the store's URI is too long (%zu bytes, at most %zu)", n, size - 1);
			free(text);
			return -1;
		}
		memcpy(out, text, n + 1);
		free(text);
		return 0;
	}
	/* Once, here, so that the database, the lock, the socket and the
	 * log are all opened by the same link-free path. */
	resolved = resolve_parent(text, err);
	free(text);
	if (!resolved)
		return -1;
	n = strlen(resolved);
	if (n >= size) {
		err_setk(err, ERR_INVALID, "store directory path is too long");
		free(resolved);
		return -1;
	}
	memcpy(out, resolved, n + 1);
	free(resolved);
	return 0;
}

/* Check and tighten what fd has open, through the descriptor, so that
 * what is checked is what gets chmod-ed. A directory (seen: its lstat)
 * must still be the same inode; a file must be a regular file. Both must
 * be ours; the mode is set to mode when it differs. Closes fd. */
static int check_fd(const char *path, int fd, const struct stat *seen, mode_t mode, char *err)
{
	struct stat st;
	int rc = -1;

	if (fstat(fd, &st) < 0)
		err_setk(err, ERR_IO, "cannot inspect %s: %s", path, strerror(errno));
	else if (seen && (st.st_dev != seen->st_dev || st.st_ino != seen->st_ino))
		err_setk(err, ERR_INVALID, "store directory %s was replaced while being opened; refusing it", path);
	else if (!seen && !S_ISREG(st.st_mode))
		err_setk(err, ERR_INVALID, "%s is not a regular file", path);
	else if (st.st_uid != geteuid())
		err_setk(err, ERR_INVALID, "%s is owned by uid %u, not by you (uid %u); refusing to use another user's store",
			path, (unsigned)st.st_uid, (unsigned)geteuid());
	else if ((st.st_mode & 0777) != mode && fchmod(fd, mode) < 0)
		err_setk(err, ERR_IO, "cannot restrict %s to mode %04o: %s", path, (unsigned)mode, strerror(errno));
	else
		rc = 0;
	close(fd);
	return rc;
}

/* mkdir -p with 0700 for every component we create. */
static int make_parents(char *path, char *err)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			err_setk(err, ERR_IO, "cannot create directory %s: %s", path, strerror(errno));
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

int storedir_prepare(const char *dir, char *err)
{
	struct stat st;
	char *copy;
	int fd;

	if (lstat(dir, &st) < 0) {
		if (errno != ENOENT) {
			err_setk(err, ERR_IO, "cannot inspect store directory %s: %s", dir, strerror(errno));
			return -1;
		}
		copy = strdup(dir);
		if (!copy) {
			err_oom(err, "store directory");
			return -1;
		}
		if (make_parents(copy, err) < 0) {
			free(copy);
			return -1;
		}
		free(copy);
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			err_setk(err, ERR_IO, "cannot create store directory %s: %s", dir, strerror(errno));
			return -1;
		}
		if (lstat(dir, &st) < 0) {
			err_setk(err, ERR_IO, "cannot inspect store directory %s: %s", dir, strerror(errno));
			return -1;
		}
	}
	if (S_ISLNK(st.st_mode)) {
		err_setk(err, ERR_INVALID, "store directory %s is a symbolic link; refusing it (point --store at the real directory)",
			dir);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		err_setk(err, ERR_INVALID, "store path %s exists but is not a directory", dir);
		return -1;
	}
	/* O_NOFOLLOW refuses a symbolic link put there since the lstat. */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		err_setk(err, ERR_IO, "cannot open store directory %s: %s", dir, strerror(errno));
		return -1;
	}
	return check_fd(dir, fd, &st, 0700, err);
}

int storedir_prepare_file(const char *path, int create, char *err)
{
	int fd;

	fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC | (create ? O_CREAT : 0), 0600);
	if (fd < 0) {
		if (errno == ENOENT && !create)
			return 0;
		if (errno == ELOOP)
			err_setk(err, ERR_INVALID, "%s is a symbolic link; refusing it", path);
		else
			err_setk(err, ERR_IO, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	return check_fd(path, fd, NULL, 0600, err);
}

int storedir_is_uri(const char *store)
{
	return strncmp(store, "postgresql://", 13) == 0 || strncmp(store, "postgres://", 11) == 0;
}

int storedir_run_dir(const char *store, const char *opt, char *out, size_t size, char *err)
{
	const char *env = getenv("HOOKMAN_RUN_DIR"), *runtime = getenv("XDG_RUNTIME_DIR");
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;
	char key[17];
	struct sbuf path;
	char *text, *resolved;
	size_t n;

	if (!storedir_is_uri(store)) {
		n = strlen(store);
		if (n >= size) {
			err_setk(err, ERR_INVALID, "store directory path is too long");
			return -1;
		}
		memcpy(out, store, n + 1);
		return 0;
	}
	/* One directory per database, named by its address, so that two
	 * stores on one host never share a sender. */
	if (!EVP_Digest(store, strlen(store), digest, &len, EVP_sha256(), NULL) || len < 8) {
		err_setk(err, ERR_IO, "cannot name the run directory: SHA-256 failed in libcrypto");
		return -1;
	}
	for (i = 0; i < 8; i++)
		snprintf(key + 2 * i, 3, "%02x", digest[i]);
	sbuf_init(&path);
	if (opt && *opt)
		sbuf_append(&path, opt);
	else if (env && *env)
		sbuf_append(&path, env);
	else if (runtime && *runtime == '/')
		sbuf_appendf(&path, "%s/hookman/%s", runtime, key);
	else if (state && *state == '/')
		sbuf_appendf(&path, "%s/hookman/%s", state, key);
	else if (home && *home)
		sbuf_appendf(&path, "%s/.local/state/hookman/%s", home, key);
	else {
		err_setk(err, ERR_INVALID, "no run directory for hookmand's lock, socket and log: pass --run-dir DIR "
			 "or set HOOKMAN_RUN_DIR");
		return -1;
	}
	text = sbuf_take(&path);
	if (!text) {
		err_oom(err, "run directory");
		return -1;
	}
	resolved = resolve_parent(text, err);
	free(text);
	if (!resolved)
		return -1;
	n = strlen(resolved);
	if (n >= size) {
		err_setk(err, ERR_INVALID, "run directory path is too long");
		free(resolved);
		return -1;
	}
	memcpy(out, resolved, n + 1);
	free(resolved);
	return 0;
}
