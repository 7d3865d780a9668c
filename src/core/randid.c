#include "randid.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

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

int randid_make(char *buf, const char *prefix, char *err)
{
	static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
	unsigned char raw[17] = {0};
	size_t i, bit, plen = strlen(prefix);

	if (plen + 1 + 26 + 1 > RANDID_MAX) {
		err_set(err, "id prefix \"%s\" is too long", prefix);
		return -1;
	}
	if (randid_bytes(raw, 16, err) < 0)
		return -1;
	memcpy(buf, prefix, plen);
	buf[plen] = '_';
	/* 26 groups of 5 bits cover the 128 random bits (the last 2 are zero). */
	for (i = 0; i < 26; i++) {
		unsigned v;

		bit = i * 5;
		v = ((unsigned)raw[bit / 8] << 8 | raw[bit / 8 + 1]) >> (11 - bit % 8);
		buf[plen + 1 + i] = alphabet[v & 31];
	}
	buf[plen + 27] = '\0';
	return 0;
}
