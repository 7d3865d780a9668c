/* One error convention for all of hookman: a function that can fail
 * returns 0 (or a non-NULL pointer) on success and -1 (or NULL) on failure,
 * and on failure fills a caller-supplied buffer of ERR_MAX bytes with one
 * human sentence: what is wrong, where, and how to fix it when we know. */
#ifndef HOOKMAN_ERR_H
#define HOOKMAN_ERR_H

#include <stddef.h>

#define ERR_MAX 512

/* Format a message into err (ERR_MAX bytes). err may be NULL. */
void err_set(char *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prepend "prefix: " to the message already in err. */
void err_prefix(char *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Set err to "<what>: out of memory" and return NULL, for allocation
 * failures deep in a call chain. */
void *err_oom(char *err, const char *what);

#endif
