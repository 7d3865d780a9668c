#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "netpolicy.h"
#include "testutil.h"

/* ip (IPv4 or IPv6 text) as a socket address in ss; its length. */
static size_t sockaddr_of(const char *ip, struct sockaddr_storage *ss)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, ip, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		return sizeof *in;
	}
	ck_assert_int_eq(inet_pton(AF_INET6, ip, &in6->sin6_addr), 1);
	in6->sin6_family = AF_INET6;
	return sizeof *in6;
}

/* The kind netpolicy gives the textual address, or "public". */
static const char *kind_of(const char *ip)
{
	struct sockaddr_storage ss;
	size_t len = sockaddr_of(ip, &ss);
	const char *k = netpolicy_private_kind((struct sockaddr *)&ss, len);

	return k ? k : "public";
}

/* What the attempt's error says about ip. */
static const char *describe_of(const char *ip, char *out, size_t size)
{
	struct sockaddr_storage ss;
	size_t len = sockaddr_of(ip, &ss);

	netpolicy_describe((struct sockaddr *)&ss, netpolicy_private_kind((struct sockaddr *)&ss, len), out, size);
	return out;
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

/* IPv4-compatible (::/96), NAT64 (64:ff9b::/96) and 6to4 (2002::/16)
 * addresses carry an IPv4 address that a translator or relay may connect
 * to: they are judged by it, like mapped ones. */
START_TEST(embedded_ipv4)
{
	ck_assert_str_eq(kind_of("::127.0.0.1"), "a loopback");
	ck_assert_str_eq(kind_of("::10.0.0.1"), "a private");
	ck_assert_str_eq(kind_of("::169.254.169.254"), "a link-local");
	ck_assert_str_eq(kind_of("::0.0.0.2"), "an unspecified");
	ck_assert_str_eq(kind_of("::8.8.8.8"), "public");
	ck_assert_str_eq(kind_of("64:ff9b::127.0.0.1"), "a loopback");
	ck_assert_str_eq(kind_of("64:ff9b::7f00:1"), "a loopback");
	ck_assert_str_eq(kind_of("64:ff9b::192.168.1.1"), "a private");
	ck_assert_str_eq(kind_of("64:ff9b::100.64.0.1"), "a shared (CGNAT)");
	ck_assert_str_eq(kind_of("64:ff9b::8.8.8.8"), "public");
	/* Only the well-known /96: bits 32..95 set make it another address. */
	ck_assert_str_eq(kind_of("64:ff9b:0:0:1::7f00:1"), "public");
	ck_assert_str_eq(kind_of("2002:7f00:1::1"), "a loopback");
	ck_assert_str_eq(kind_of("2002:a9fe:a9fe::"), "a link-local");
	ck_assert_str_eq(kind_of("2002:c0a8:0101:5::1"), "a private");
	ck_assert_str_eq(kind_of("2002:e000:1::1"), "a multicast");
	ck_assert_str_eq(kind_of("2002:0808:0808::1"), "public");
	/* Neighbours of the prefixes are plain IPv6. */
	ck_assert_str_eq(kind_of("2003:7f00:1::1"), "public");
	ck_assert_str_eq(kind_of("64:ff9a::7f00:1"), "public");
	ck_assert_str_eq(kind_of("1::127.0.0.1"), "public");
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
	/* An embedded IPv4 address is named, so the operator sees why an
	 * IPv6 address counts as loopback. */
	ck_assert_str_eq(describe_of("::127.0.0.1", out, sizeof out),
			 "::127.0.0.1 is an IPv4-compatible address of 127.0.0.1, a loopback address");
	ck_assert_str_eq(describe_of("64:ff9b::a9fe:a9fe", out, sizeof out),
			 "64:ff9b::a9fe:a9fe is a NAT64 address of 169.254.169.254, a link-local address");
	ck_assert_str_eq(describe_of("2002:c0a8:101::1", out, sizeof out),
			 "2002:c0a8:101::1 is a 6to4 address of 192.168.1.1, a private address");
	ck_assert_str_eq(describe_of("::ffff:127.0.0.1", out, sizeof out), "::ffff:127.0.0.1 is a loopback address");
	ck_assert_str_eq(describe_of("::1", out, sizeof out), "::1 is a loopback address");
	/* The longest kind, a 6to4 address written out in full, fits in the
	 * 128 bytes the sender keeps for it. */
	ck_assert_str_eq(describe_of("2002:6440:1:ffff:ffff:ffff:ffff:ffff", out, sizeof out),
			 "2002:6440:1:ffff:ffff:ffff:ffff:ffff is a 6to4 address of 100.64.0.1, a shared (CGNAT) address");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("netpolicy");
	TCase *tc = tcase_create("addresses");

	tcase_add_test(tc, ipv4_ranges);
	tcase_add_test(tc, ipv6_ranges);
	tcase_add_test(tc, embedded_ipv4);
	tcase_add_test(tc, describe);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
