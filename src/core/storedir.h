/* The store directory: where it is and that only its owner can read it. */
#ifndef HOOKMAN_STOREDIR_H
#define HOOKMAN_STOREDIR_H

#include <stddef.h>

/* Resolve the store directory: opt when not NULL, else $HOOKMAN_STORE,
 * else $XDG_DATA_HOME/hookman when that is an absolute path (a relative
 * one is ignored, as the XDG Base Directory spec says), else
 * $HOME/.local/share/hookman. Its parent is then resolved with realpath
 * (links, "." and "..", the current directory; parents that do not exist
 * yet are kept as written below the deepest one that does), and the last
 * component is kept as written, so storedir_prepare can still refuse it
 * when it is a link. Every user of the store (the database, hookmand's
 * lock, socket and log) must use this path: SQLite refuses a link
 * anywhere in a path. Writes the path into out (size bytes). Returns 0,
 * or -1 with err set when none of these is set, the path is too long or
 * memory ran out. */
int storedir_resolve(const char *opt, char *out, size_t size, char *err);

/* Whether a --store names a PostgreSQL database (postgresql:// or
 * postgres://, libpq's URIs) rather than a directory. */
int storedir_is_uri(const char *store);

/* Where hookmand's lock, control socket and log live for store (as
 * storedir_resolve gave it): a store directory holds them itself; for a
 * PostgreSQL store, which several hosts share, each host keeps them in
 * a run directory of its own: opt when not NULL, else $HOOKMAN_RUN_DIR,
 * else one per store under $XDG_RUNTIME_DIR/hookman, else under
 * $XDG_STATE_HOME/hookman, else $HOME/.local/state/hookman (named by a
 * digest of the URI). Its parent is resolved as the store directory's.
 * Writes out (size bytes); 0, or -1 with err. storedir_prepare makes it. */
int storedir_run_dir(const char *store, const char *opt, char *out, size_t size, char *err);

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
