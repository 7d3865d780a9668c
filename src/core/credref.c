#include "credref.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "utf8.h"

#define CREDDIR "$CREDENTIALS_DIRECTORY/"
#define CREDDIR_BRACED "${CREDENTIALS_DIRECTORY}/"

int credref_is(const json_t *j)
{
	return json_is_object(j);
}

static int env_name_ok(const char *s)
{
	size_t i;

	if (!*s || (*s >= '0' && *s <= '9'))
		return 0;
	for (i = 0; s[i]; i++)
		if (!(s[i] == '_' || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

static char *from_env(const char *name, char *err)
{
	const char *v;
	char *copy;

	if (!env_name_ok(name)) {
		err_setk(err, ERR_INVALID, "\"%.64s\" is not an environment variable name; use letters, digits and _",
			 name);
		return NULL;
	}
	v = getenv(name);
	if (!v || !*v) {
		err_setk(err, ERR_INVALID, "environment variable %s is %s; set it to the value before running hookman",
			 name, v ? "empty" : "not set");
		return NULL;
	}
	copy = strdup(v);
	return copy ? copy : err_oom(err, name);
}

/* The file's content under the rules credref_resolve states. */
static char *read_value(const char *path, char *err)
{
	char *buf = NULL;
	size_t len = 0, bad, i, n;
	unsigned cp;
	ssize_t got;
	struct stat sb;
	/* Not blocking on a FIFO: only a regular file is read. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0) {
		err_setk(err, ERR_INVALID, "cannot read %s: %s; check the path", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		err_setk(err, ERR_INVALID, "%s is not a regular file; a reference names a file holding the value", path);
		close(fd);
		return NULL;
	}
	buf = malloc(CREDREF_FILE_MAX + 2);
	if (!buf) {
		close(fd);
		return err_oom(err, path);
	}
	/* One byte more than allowed tells an oversized file apart. */
	while (len <= CREDREF_FILE_MAX && (got = read(fd, buf + len, CREDREF_FILE_MAX + 1 - len)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			err_setk(err, ERR_INVALID, "cannot read %s: %s; check the path", path, strerror(errno));
			goto fail;
		}
		len += (size_t)got;
	}
	close(fd);
	fd = -1;
	if (len > CREDREF_FILE_MAX) {
		err_setk(err, ERR_INVALID, "%s is over %d KiB; a credential file holds one value", path,
			 CREDREF_FILE_MAX / 1024);
		goto fail;
	}
	if (len && buf[len - 1] == '\n')
		len--;
	buf[len] = '\0';
	if (!len) {
		err_setk(err, ERR_INVALID, "%s is empty; write the value into it", path);
		goto fail;
	}
	if (utf8_check(buf, len, &bad) < 0) {
		err_setk(err, ERR_INVALID, "%s is not UTF-8 text (bad byte at offset %zu)", path, bad);
		goto fail;
	}
	for (i = 0; i < len; i += n) {
		n = utf8_decode(buf + i, len - i, &cp);
		if (utf8_is_control(cp) || cp == '\t') {
			err_setk(err, ERR_INVALID, "%s holds a control character (U+%04X) at byte %zu; a credential file holds one line, the value",
				 path, cp, i);
			goto fail;
		}
	}
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

/* What follows "$CREDENTIALS_DIRECTORY/" in path, also written
 * "${CREDENTIALS_DIRECTORY}/" as systemd's documentation does; NULL when
 * it starts otherwise. */
static const char *under_creddir(const char *path)
{
	if (strncmp(path, CREDDIR, strlen(CREDDIR)) == 0)
		return path + strlen(CREDDIR);
	if (strncmp(path, CREDDIR_BRACED, strlen(CREDDIR_BRACED)) == 0)
		return path + strlen(CREDDIR_BRACED);
	return NULL;
}

/* The path a file reference names, for reading: "$CREDENTIALS_DIRECTORY/"
 * expanded, a relative path put under base. Caller frees. */
static char *file_path(const char *path, const char *base, char *err)
{
	struct sbuf p;
	const char *dir, *rest = under_creddir(path);

	sbuf_init(&p);
	if (rest) {
		dir = getenv("CREDENTIALS_DIRECTORY");
		if (!dir || !*dir) {
			err_setk(err, ERR_INVALID, "%s names $CREDENTIALS_DIRECTORY, which is not set; run hookman where systemd passes credentials (LoadCredential=) or set it",
				 path);
			return NULL;
		}
		sbuf_appendf(&p, "%s/%s", dir, rest);
	} else if (*path != '/' && base) {
		sbuf_appendf(&p, "%s/%s", base, path);
	} else {
		sbuf_append(&p, path);
	}
	return p.failed ? err_oom(err, path) : sbuf_take(&p);
}

char *credref_resolve(const json_t *ref, const char *base, json_t **stored, char *err)
{
	json_t *env = json_object_get(ref, "env"), *file = json_object_get(ref, "file");
	char *path, *value;

	if (stored)
		*stored = NULL;
	if (!json_is_object(ref) || json_object_size(ref) != 1 || !(json_is_string(env) || json_is_string(file))) {
		err_setk(err, ERR_INVALID, "a reference is {\"env\": \"NAME\"} or {\"file\": \"PATH\"}; write one of those or the value itself");
		return NULL;
	}
	if (env) {
		value = from_env(json_string_value(env), err);
		if (value && stored && !(*stored = json_deep_copy(ref))) {
			free(value);
			return err_oom(err, "reference");
		}
		return value;
	}
	if (!*json_string_value(file)) {
		err_setk(err, ERR_INVALID, "the file reference is empty; give the PATH of the file holding the value");
		return NULL;
	}
	path = file_path(json_string_value(file), base, err);
	if (!path)
		return NULL;
	value = read_value(path, err);
	/* $CREDENTIALS_DIRECTORY differs from one service run to the next:
	 * it is kept as written; a relative path only means something next
	 * to the file it was read from, so it is kept made absolute. */
	if (value && stored) {
		const char *written = json_string_value(file);
		const char *keep = under_creddir(written) ? written : path;

		*stored = json_pack("{s:s}", "file", keep);
		if (!*stored) {
			free(value);
			value = err_oom(err, "reference");
		}
	}
	free(path);
	return value;
}

int credref_describe(struct sbuf *out, const json_t *ref)
{
	json_t *env = json_object_get(ref, "env"), *file = json_object_get(ref, "file");

	if (json_is_string(env))
		return sbuf_appendf(out, "env %s", json_string_value(env));
	return sbuf_appendf(out, "file %s", json_is_string(file) ? json_string_value(file) : "?");
}

const json_t *credref_of(const char *refs, const char *field, const char *header, json_t **doc)
{
	const char *key;
	json_t *v, *hdrs;

	*doc = refs ? json_loads(refs, 0, NULL) : NULL;
	if (!*doc)
		return NULL;
	if (!header)
		return json_object_get(*doc, field);
	hdrs = json_object_get(*doc, "headers");
	json_object_foreach(hdrs, key, v)
		if (strcasecmp(key, header) == 0)
			return v;
	return NULL;
}

int credref_note(struct sbuf *out, const struct webhook *wh, const char *field, const char *header)
{
	json_t *doc;
	const json_t *ref = credref_of(wh->refs, field, header, &doc);
	int rc = 0;

	if (ref) {
		sbuf_append(out, " (from ");
		credref_describe(out, ref);
		rc = sbuf_append(out, ")");
	}
	json_decref(doc);
	return rc;
}

/* The value of header name in wh ("Name: value" lines), or NULL. */
static const char *header_value(const struct webhook *wh, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < wh->nheaders; i++)
		if (strncasecmp(wh->headers[i], name, n) == 0 && wh->headers[i][n] == ':')
			return wh->headers[i] + n + 1 + strspn(wh->headers[i] + n + 1, " \t");
	return NULL;
}

/* How many of wh's headers have that name (in any case). */
static size_t header_count(const struct webhook *wh, const char *name)
{
	size_t i, n = strlen(name), count = 0;

	for (i = 0; i < wh->nheaders; i++)
		count += strncasecmp(wh->headers[i], name, n) == 0 && wh->headers[i][n] == ':';
	return count;
}

static int same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

int credref_keep(struct webhook *after, const struct webhook *before, char *err)
{
	json_t *doc = before->refs ? json_loads(before->refs, 0, NULL) : NULL, *hdrs, *v;
	const char *key;
	void *tmp;
	char *text = NULL;

	free(after->refs);
	after->refs = NULL;
	if (!doc)
		return 0;
	if (!same(after->url, before->url))
		json_object_del(doc, "url");
	if (!same(after->secret, before->secret))
		json_object_del(doc, "secret");
	hdrs = json_object_get(doc, "headers");
	/* A second header of the name makes the reference ambiguous: it goes. */
	json_object_foreach_safe(hdrs, tmp, key, v)
		if (header_count(after, key) != 1 || !same(header_value(after, key), header_value(before, key)))
			json_object_del(hdrs, key);
	if (hdrs && json_object_size(hdrs) == 0)
		json_object_del(doc, "headers");
	if (json_object_size(doc) > 0) {
		text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
		if (!text) {
			json_decref(doc);
			err_oom(err, "references");
			return -1;
		}
	}
	json_decref(doc);
	after->refs = text;
	return 0;
}
