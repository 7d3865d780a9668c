/* Private scratch files: created new (O_EXCL, no symlink followed), mode
 * 0600, under a name nobody can predict. Used for the atomic rewrite of an
 * export and for the payload handed to $EDITOR. */
#ifndef HOOKMAN_SCRATCH_H
#define HOOKMAN_SCRATCH_H

#include <stddef.h>

/* Create "<stem><8 random characters><suffix>" and open it for writing.
 * The name goes into path (size bytes). Returns the descriptor, or -1 with
 * err set (name too long, no randomness, the directory refused it). */
int scratch_open(char *path, size_t size, const char *stem, const char *suffix, char *err);

#endif
