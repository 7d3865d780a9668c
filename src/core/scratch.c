#include "scratch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "randid.h"

int scratch_open(char *path, size_t size, const char *stem, const char *suffix, char *err)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char rnd[8];
	char tag[9];
	int tries, fd, n;
	size_t i;

	for (tries = 0; tries < 100; tries++) {
		if (randid_bytes(rnd, sizeof rnd, err) < 0)
			return -1;
		for (i = 0; i < sizeof rnd; i++)
			tag[i] = alphabet[rnd[i] % (sizeof alphabet - 1)];
		tag[sizeof rnd] = '\0';
		n = snprintf(path, size, "%s%s%s", stem, tag, suffix);
		if (n < 0 || (size_t)n >= size) {
			err_set(err, "path %s… is too long", stem);
			return -1;
		}
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0)
			return fd;
		if (errno != EEXIST)
			break;
	}
	err_setk(err, ERR_IO, "cannot create %s: %s", path, strerror(errno));
	return -1;
}
