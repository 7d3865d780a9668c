#include "randid.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "err.h"

int randid_bytes(void *out, size_t n, char *err)
{
	unsigned char *p = out;
	ssize_t got;

	while (n > 0) {
		got = getrandom(p, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			err_set(err, "cannot read random bytes: %s", strerror(errno));
			return -1;
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

/* The ULID layout: 48 bits of milliseconds, then 80 random bits. Ids made
 * later sort later, so the store's unique indexes on them grow at their
 * right edge instead of taking a page from anywhere in the tree on every
 * insert (a fan-out of 20,000 deliveries read pages back from disk for
 * that); 80 random bits keep two ids of the same millisecond apart. */
int randid_make(char *buf, const char *prefix, char *err)
{
	static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
	unsigned char raw[17] = {0};
	unsigned long long ms;
	struct timespec ts;
	size_t i, bit, plen = strlen(prefix);

	if (plen + 1 + 26 + 1 > RANDID_MAX) {
		err_set(err, "id prefix \"%s\" is too long", prefix);
		return -1;
	}
	if (randid_bytes(raw + 6, 10, err) < 0)
		return -1;
	clock_gettime(CLOCK_REALTIME, &ts);
	ms = (unsigned long long)ts.tv_sec * 1000 + (unsigned long long)ts.tv_nsec / 1000000;
	for (i = 0; i < 6; i++)
		raw[i] = (unsigned char)(ms >> (40 - 8 * i));
	memcpy(buf, prefix, plen);
	buf[plen] = '_';
	/* 26 groups of 5 bits cover the 128 bits (the last 2 are zero). */
	for (i = 0; i < 26; i++) {
		unsigned v;

		bit = i * 5;
		v = ((unsigned)raw[bit / 8] << 8 | raw[bit / 8 + 1]) >> (11 - bit % 8);
		buf[plen + 1 + i] = alphabet[v & 31];
	}
	buf[plen + 27] = '\0';
	return 0;
}
