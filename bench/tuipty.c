#define _GNU_SOURCE
/* Drive hookman's interface in a pseudo-terminal the way an SSH session
 * would, and measure it: time to the first full frame, bytes written to
 * the terminal for one typed character in the payload editor, and the
 * process's resident memory. Usage: tuipty HOOKMAN STORE
 * Prints: first_frame_ms, bytes_per_key, rss_kib. */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Read until the output contains marker (or quiet_ms passes without
 * output when marker is NULL). Returns bytes read. */
static size_t drain(int fd, const char *marker, int quiet_ms, int limit_ms)
{
	static char seen[1 << 20];
	size_t len = 0, total = 0;
	long long start = now_us();

	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		int rc = poll(&p, 1, marker ? 50 : quiet_ms);
		ssize_t n;

		if (rc == 0 && !marker)
			return total;
		if ((now_us() - start) / 1000 > limit_ms)
			return total;
		if (rc <= 0)
			continue;
		n = read(fd, seen + len, sizeof seen - len - 1);
		if (n <= 0)
			return total;
		total += (size_t)n;
		len += (size_t)n;
		seen[len] = '\0';
		if (marker && memmem(seen, len, marker, strlen(marker)))
			return total;
		if (len > sizeof seen / 2) {
			memmove(seen, seen + len - 1024, 1024);
			len = 1024;
		}
	}
}

int main(int argc, char **argv)
{
	struct winsize ws = { 24, 80, 0, 0 };
	char path[64], line[256];
	long long t0, first;
	size_t bytes = 0;
	long rss = 0;
	int fd, i, keys = 20;
	pid_t pid;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: tuipty HOOKMAN STORE\n");
		return 2;
	}
	t0 = now_us();
	pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		setenv("HOOKMAN_AUTOSTART", "0", 1);
		execl(argv[1], "hookman", "--store", argv[2], (char *)NULL);
		_exit(127);
	}
	drain(fd, "Quit", 0, 10000);
	first = now_us() - t0;
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			rss = strtol(line + 6, NULL, 10);
	if (f)
		fclose(f);
	/* New form, to the payload editor, inside the "$Event" string. */
	if (write(fd, "n", 1) != 1)
		return 1;
	drain(fd, NULL, 200, 2000);
	for (i = 0; i < 4; i++) {
		if (write(fd, "\t", 1) != 1)
			return 1;
		drain(fd, NULL, 100, 2000);
	}
	if (write(fd, "\033OB\033OB\033OF\033OD", 12) != 12)
		return 1;
	drain(fd, NULL, 200, 2000);
	for (i = 0; i < keys; i++) {
		if (write(fd, "x", 1) != 1)
			return 1;
		bytes += drain(fd, NULL, 60, 2000);
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	printf("%.1f %zu %ld\n", first / 1000.0, bytes / (size_t)keys, rss);
	return 0;
}
