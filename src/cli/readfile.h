/* Reading whole files (or standard input) that an operator names. */
#ifndef HOOKMAN_READFILE_H
#define HOOKMAN_READFILE_H

#include <stddef.h>

#define READFILE_MAX (64 * 1024 * 1024)

/* Read path ("-" for standard input) up to READFILE_MAX bytes. Returns a
 * NUL-terminated buffer the caller frees and its length in *len, or NULL
 * with err set (unreadable, too large, or — when text is set — holding a
 * NUL byte, which would silently cut the text short). */
char *readfile(const char *path, size_t *len, int text, char *err);

/* The same with a smaller limit of max bytes (at most READFILE_MAX), for
 * files that hold one short value. */
char *readfile_max(const char *path, size_t max, size_t *len, int text, char *err);

/* The directory of path as an absolute path, where names relative to the
 * file it holds are found ("-", standard input: the current directory).
 * Caller frees; NULL with errno set when it cannot be resolved or memory
 * runs out. */
char *readfile_dir(const char *path);

/* Write data to path atomically (temp file + rename) with mode 0600.
 * Returns 0 or -1 with err set. */
int writefile_atomic(const char *path, const char *data, size_t len, char *err);

#endif
