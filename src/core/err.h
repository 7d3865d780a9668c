/* One error convention for all of hookman: a function that can fail
 * returns 0 (or a non-NULL pointer) on success and -1 (or NULL) on failure,
 * and on failure fills a caller-supplied buffer of ERR_MAX bytes with one
 * human sentence: what is wrong, where, and how to fix it when we know —
 * and a kind, which is what callers branch on (never the sentence).
 *
 * The kind rides in the buffer's last byte, so every function that takes
 * `char *err` reports one without a second out-parameter; a message is
 * therefore at most ERR_MAX - 2 bytes. err_kind is meaningful only after
 * a call failed. */
#ifndef HOOKMAN_ERR_H
#define HOOKMAN_ERR_H

#include <stddef.h>

#define ERR_MAX 512

enum err_kind {
	ERR_NONE,         /* nothing was reported */
	ERR_OTHER,        /* a failure without a more precise kind */
	ERR_INVALID,      /* the input is wrong: fix it and try again */
	ERR_NOT_FOUND,    /* what was named does not exist (any more) */
	ERR_EXISTS,       /* the name is taken */
	ERR_CONFLICT,     /* changed by someone else since it was read */
	ERR_BUSY,         /* another process holds the store; retrying may work */
	ERR_IO,           /* the store or a file could not be read or written */
	ERR_NOMEM,        /* out of memory */
	ERR_UNAVAILABLE,  /* hookmand is not running or did not answer */
	ERR_KIND_COUNT
};

/* Format a message into err (ERR_MAX bytes), of kind ERR_OTHER. err may
 * be NULL. */
void err_set(char *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The same, with a kind. */
void err_setk(char *err, enum err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prepend "prefix: " to the message already in err; the kind stays. */
void err_prefix(char *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Set err to "<what>: out of memory" (ERR_NOMEM) and return NULL, for
 * allocation failures deep in a call chain. */
void *err_oom(char *err, const char *what);

/* The kind of the error in err; ERR_NONE for NULL. */
enum err_kind err_kind(const char *err);

#endif
