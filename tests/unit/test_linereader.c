#include <string.h>
#include <unistd.h>

#include "linereader.h"
#include "testutil.h"

static void put(int fd, const char *s)
{
	ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

/* What fire --stdin relies on to commit a slow stream as it comes: a line
 * is returned as soon as it is complete, and WAIT (not a block) when no
 * more input is there yet. */
START_TEST(waits_without_blocking)
{
	struct linereader r;
	const char *line;
	size_t len;
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	linereader_init(&r, fds[0], 64);
	ck_assert_int_eq(linereader_next(&r, &line, &len, 0), LINEREADER_WAIT);
	put(fds[1], "one\ntw");
	ck_assert_int_eq(linereader_next(&r, &line, &len, 0), LINEREADER_LINE);
	ck_assert_uint_eq(len, 3);
	ck_assert_int_eq(memcmp(line, "one", 3), 0);
	ck_assert_int_eq(linereader_next(&r, &line, &len, 0), LINEREADER_WAIT);
	put(fds[1], "o\r\n\nthree");
	ck_assert_int_eq(linereader_next(&r, &line, &len, 0), LINEREADER_LINE);
	ck_assert_uint_eq(len, 4);   /* the CR is the caller's to strip */
	ck_assert_int_eq(memcmp(line, "two\r", 4), 0);
	ck_assert_int_eq(linereader_next(&r, &line, &len, 0), LINEREADER_LINE);
	ck_assert_uint_eq(len, 0);
	close(fds[1]);
	ck_assert_int_eq(linereader_next(&r, &line, &len, 1), LINEREADER_LINE);
	ck_assert_uint_eq(len, 5);   /* a last line without its newline counts */
	ck_assert_int_eq(memcmp(line, "three", 5), 0);
	ck_assert_int_eq(linereader_next(&r, &line, &len, 1), LINEREADER_END);
	linereader_free(&r);
	close(fds[0]);
}
END_TEST

START_TEST(limit_is_exact)
{
	struct linereader r;
	const char *line;
	size_t len;
	char big[80];
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	memset(big, 'x', 64);
	big[64] = '\n';
	big[65] = '\0';
	put(fds[1], big);            /* exactly the limit: read */
	memset(big, 'y', 65);
	big[65] = '\n';
	big[66] = '\0';
	put(fds[1], big);            /* one more: refused */
	put(fds[1], "after\n");
	close(fds[1]);
	linereader_init(&r, fds[0], 64);
	ck_assert_int_eq(linereader_next(&r, &line, &len, 1), LINEREADER_LINE);
	ck_assert_uint_eq(len, 64);
	ck_assert_int_eq(linereader_next(&r, &line, &len, 1), LINEREADER_TOO_LONG);
	linereader_free(&r);
	close(fds[0]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("linereader");
	TCase *tc = tcase_create("lines");

	tcase_add_test(tc, waits_without_blocking);
	tcase_add_test(tc, limit_is_exact);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
