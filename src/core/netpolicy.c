#include "netpolicy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define V4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* The ranges of RFC 6890's special-purpose registry that a webhook has no
 * business reaching. */
static const struct {
	uint32_t net;
	unsigned prefix;
	const char *kind;
} v4_ranges[] = {
	{ V4(127, 0, 0, 0), 8, "a loopback" },
	{ V4(10, 0, 0, 0), 8, "a private" },
	{ V4(172, 16, 0, 0), 12, "a private" },
	{ V4(192, 168, 0, 0), 16, "a private" },
	{ V4(169, 254, 0, 0), 16, "a link-local" },
	{ V4(100, 64, 0, 0), 10, "a shared (CGNAT)" },
	{ V4(0, 0, 0, 0), 8, "an unspecified" },
	{ V4(224, 0, 0, 0), 4, "a multicast" },
	{ V4(240, 0, 0, 0), 4, "a reserved" },   /* and 255.255.255.255 */
	{ V4(192, 0, 0, 0), 24, "a reserved" },
	{ V4(198, 18, 0, 0), 15, "a reserved" }, /* benchmarking */
};

/* a is in host byte order. */
static const char *ipv4_kind(uint32_t a)
{
	size_t i;

	for (i = 0; i < sizeof v4_ranges / sizeof v4_ranges[0]; i++)
		if ((a >> (32 - v4_ranges[i].prefix)) == (v4_ranges[i].net >> (32 - v4_ranges[i].prefix)))
			return v4_ranges[i].kind;
	return NULL;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* IPv6 addresses that carry an IPv4 address a translator or relay would
 * end up connecting to, so a private IPv4 address could hide in them:
 * IPv4-compatible ::a.b.c.d (::/96, less :: and ::1), NAT64's well-known
 * prefix 64:ff9b::/96 (RFC 6052) and 6to4's 2002::/16 (RFC 3056, the IPv4
 * address in bits 16..47). What carries it ("an IPv4-compatible", "a
 * NAT64", "a 6to4"), with the IPv4 address in *v4 (host byte order), or
 * NULL. */
static const char *embedded_ipv4(const unsigned char *b, uint32_t *v4)
{
	static const unsigned char compat[12];
	static const unsigned char nat64[12] = { 0x00, 0x64, 0xff, 0x9b };

	if (memcmp(b, compat, 12) == 0 && be32(b + 12) > 1) {
		*v4 = be32(b + 12);
		return "an IPv4-compatible";
	}
	if (memcmp(b, nat64, 12) == 0) {
		*v4 = be32(b + 12);
		return "a NAT64";
	}
	if (b[0] == 0x20 && b[1] == 0x02) {
		*v4 = be32(b + 2);
		return "a 6to4";
	}
	return NULL;
}

static const char *ipv6_kind(const unsigned char *b)
{
	static const unsigned char zero[16];
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	uint32_t v4;

	if (memcmp(b, mapped, 12) == 0)
		return ipv4_kind(be32(b + 12));
	if (memcmp(b, zero, 15) == 0 && b[15] <= 1)
		return b[15] == 1 ? "a loopback" : "an unspecified";
	if (embedded_ipv4(b, &v4))
		return ipv4_kind(v4);
	if ((b[0] & 0xfe) == 0xfc)
		return "a private";        /* unique local fc00::/7 */
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
		return "a link-local";     /* fe80::/10 */
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
		return "a private";        /* deprecated site-local fec0::/10 */
	if (b[0] == 0xff)
		return "a multicast";
	return NULL;
}

const char *netpolicy_private_kind(const struct sockaddr *sa, size_t len)
{
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		return ipv4_kind(ntohl(in->sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		return ipv6_kind(in6->sin6_addr.s6_addr);
	}
	return NULL;
}

void netpolicy_describe(const struct sockaddr *sa, const char *kind, char *out, size_t size)
{
	char ip[INET6_ADDRSTRLEN] = "?", inner[INET_ADDRSTRLEN] = "?";
	const char *carrier = NULL;
	uint32_t v4;

	if (sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, ip, sizeof ip);
	} else if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a6 = &((const struct sockaddr_in6 *)sa)->sin6_addr;

		inet_ntop(AF_INET6, a6, ip, sizeof ip);
		carrier = embedded_ipv4(a6->s6_addr, &v4);
	}
	if (!kind)
		kind = "a public";
	if (carrier) {
		/* 64:ff9b::7f00:1 does not read as loopback: name what it carries. */
		struct in_addr a4 = { htonl(v4) };

		inet_ntop(AF_INET, &a4, inner, sizeof inner);
		snprintf(out, size, "%s is %s address of %s, %s address", ip, carrier, inner, kind);
	} else {
		snprintf(out, size, "%s is %s address", ip, kind);
	}
}
