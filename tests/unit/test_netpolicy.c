#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "netpolicy.h"
#include "testutil.h"

/* The kind netpolicy gives the textual address, or "public". */
static const char *kind_of(const char *ip)
{
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
	const char *k;

	memset(&in, 0, sizeof in);
	memset(&in6, 0, sizeof in6);
	if (inet_pton(AF_INET, ip, &in.sin_addr) == 1) {
		in.sin_family = AF_INET;
		k = netpolicy_private_kind((struct sockaddr *)&in, sizeof in);
	} else {
		ck_assert_int_eq(inet_pton(AF_INET6, ip, &in6.sin6_addr), 1);
		in6.sin6_family = AF_INET6;
		k = netpolicy_private_kind((struct sockaddr *)&in6, sizeof in6);
	}
	return k ? k : "public";
}

START_TEST(ipv4_ranges)
{
	ck_assert_str_eq(kind_of("127.0.0.1"), "a loopback");
	ck_assert_str_eq(kind_of("127.255.255.254"), "a loopback");
	ck_assert_str_eq(kind_of("10.1.2.3"), "a private");
	ck_assert_str_eq(kind_of("172.16.0.1"), "a private");
	ck_assert_str_eq(kind_of("172.31.255.255"), "a private");
	ck_assert_str_eq(kind_of("172.32.0.1"), "public");
	ck_assert_str_eq(kind_of("172.15.255.255"), "public");
	ck_assert_str_eq(kind_of("192.168.1.1"), "a private");
	ck_assert_str_eq(kind_of("192.169.1.1"), "public");
	ck_assert_str_eq(kind_of("169.254.169.254"), "a link-local");   /* cloud metadata */
	ck_assert_str_eq(kind_of("100.64.0.1"), "a shared (CGNAT)");
	ck_assert_str_eq(kind_of("100.127.255.255"), "a shared (CGNAT)");
	ck_assert_str_eq(kind_of("100.128.0.1"), "public");
	ck_assert_str_eq(kind_of("0.0.0.0"), "an unspecified");
	ck_assert_str_eq(kind_of("224.0.0.1"), "a multicast");
	ck_assert_str_eq(kind_of("255.255.255.255"), "a reserved");
	ck_assert_str_eq(kind_of("198.18.0.1"), "a reserved");
	ck_assert_str_eq(kind_of("198.19.255.255"), "a reserved");
	ck_assert_str_eq(kind_of("198.20.0.1"), "public");
	ck_assert_str_eq(kind_of("8.8.8.8"), "public");
	ck_assert_str_eq(kind_of("1.1.1.1"), "public");
}
END_TEST

START_TEST(ipv6_ranges)
{
	ck_assert_str_eq(kind_of("::1"), "a loopback");
	ck_assert_str_eq(kind_of("::"), "an unspecified");
	ck_assert_str_eq(kind_of("fd00::1"), "a private");
	ck_assert_str_eq(kind_of("fc12:3456::1"), "a private");
	ck_assert_str_eq(kind_of("fe80::1"), "a link-local");
	ck_assert_str_eq(kind_of("febf::1"), "a link-local");
	ck_assert_str_eq(kind_of("fec0::1"), "a private");
	ck_assert_str_eq(kind_of("ff02::1"), "a multicast");
	ck_assert_str_eq(kind_of("2001:4860:4860::8888"), "public");
	/* A mapped address must not smuggle a private IPv4 one through. */
	ck_assert_str_eq(kind_of("::ffff:127.0.0.1"), "a loopback");
	ck_assert_str_eq(kind_of("::ffff:10.0.0.1"), "a private");
	ck_assert_str_eq(kind_of("::ffff:8.8.8.8"), "public");
}
END_TEST

START_TEST(describe)
{
	struct sockaddr_in in;
	char out[128];

	memset(&in, 0, sizeof in);
	in.sin_family = AF_INET;
	inet_pton(AF_INET, "169.254.169.254", &in.sin_addr);
	netpolicy_describe((struct sockaddr *)&in, netpolicy_private_kind((struct sockaddr *)&in, sizeof in),
			   out, sizeof out);
	ck_assert_str_eq(out, "169.254.169.254 is a link-local address");
	/* A short sockaddr is not read past its end. */
	ck_assert_ptr_null(netpolicy_private_kind((struct sockaddr *)&in, 2));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("netpolicy");
	TCase *tc = tcase_create("addresses");

	tcase_add_test(tc, ipv4_ranges);
	tcase_add_test(tc, ipv6_ranges);
	tcase_add_test(tc, describe);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
