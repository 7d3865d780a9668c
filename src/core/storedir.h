/* The store directory: where it is and that only its owner can read it. */
#ifndef HOOKMAN_STOREDIR_H
#define HOOKMAN_STOREDIR_H

#include <stddef.h>

/* Resolve the store directory: opt when not NULL, else $HOOKMAN_STORE,
 * else $XDG_DATA_HOME/hookman, else $HOME/.local/share/hookman. Writes the
 * path into out (size bytes). Returns 0, or -1 with err set when none of
 * these is set or the path is too long. */
int storedir_resolve(const char *opt, char *out, size_t size, char *err);

/* Make sure dir exists as a real directory owned by this user with mode
 * 0700: missing components are created 0700, looser modes are tightened;
 * a symbolic link or a directory owned by another user is refused.
 * Returns 0 or -1 with err set. */
int storedir_prepare(const char *dir, char *err);

/* Open (creating with mode 0600 when missing) a file inside the store
 * without following symlinks; refuses one owned by another user or not a
 * regular file and tightens a looser mode. Returns 0 or -1 with err set.
 * The file is closed again: SQLite opens it by name. */
int storedir_prepare_file(const char *path, int create, char *err);

#endif
