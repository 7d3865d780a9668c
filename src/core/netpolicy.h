/* The --deny-private delivery policy: which addresses a webhook may not
 * reach when several operators share a store (so that one of them cannot
 * make hookmand probe the host's loopback services or the private network
 * behind it). Checked on the address actually connected to, after DNS. */
#ifndef HOOKMAN_NETPOLICY_H
#define HOOKMAN_NETPOLICY_H

#include <stddef.h>
#include <sys/socket.h>

/* What kind of non-public address sa (AF_INET or AF_INET6, of len bytes)
 * is: "a loopback", "a private", "a link-local", "a shared (CGNAT)", "an
 * unspecified", "a multicast" or "a reserved" address; NULL when it is
 * public (or not IP). IPv6 addresses that carry an IPv4 one (mapped
 * ::ffff:0:0/96, IPv4-compatible ::/96, NAT64 64:ff9b::/96, 6to4
 * 2002::/16) are judged by that IPv4 address. The returned string is
 * static. */
const char *netpolicy_private_kind(const struct sockaddr *sa, size_t len);

/* "127.0.0.1 is a loopback address" into out (size bytes), for the
 * attempt's error; an IPv4-compatible, NAT64 or 6to4 address names the
 * IPv4 address it carries: "64:ff9b::7f00:1 is a NAT64 address of
 * 127.0.0.1, a loopback address". */
void netpolicy_describe(const struct sockaddr *sa, const char *kind, char *out, size_t size);

#endif
