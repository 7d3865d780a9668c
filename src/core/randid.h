/* Random identifiers for events and deliveries ("evt_…", "msg_…"). */
#ifndef HOOKMAN_RANDID_H
#define HOOKMAN_RANDID_H

#include <stddef.h>

#define RANDID_MAX 40

/* Fill buf (RANDID_MAX bytes) with prefix "_" and 26 base32 characters
 * laid out as a ULID: the time in milliseconds (48 bits), then 80 random
 * bits from the kernel, so an id made later sorts after an earlier one
 * (ids of the same millisecond in any order). Returns 0, or -1 with err
 * set when no randomness could be read. */
int randid_make(char *buf, const char *prefix, char *err);

/* Fill out[0..n) with random bytes from the kernel. 0 or -1 with err. */
int randid_bytes(void *out, size_t n, char *err);

#endif
