#include "actor.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* src into dst, cut to size, with any byte that is not printable ASCII
 * as '?': names and hosts go into JSON and onto terminals. */
static void copy(char *dst, size_t size, const char *src)
{
	size_t i;

	for (i = 0; src && src[i] && i + 1 < size; i++)
		dst[i] = (unsigned char)src[i] < ' ' || (unsigned char)src[i] >= 0x7f ? '?' : src[i];
	dst[i] = '\0';
}

/* The first word of $SSH_CONNECTION ("client port server port"), when it
 * is an IPv4 or IPv6 address (with its zone, "fe80::1%eth0"): the
 * variable comes from the environment, so anything else in it is not
 * repeated into the record. */
static void ssh_client(char *out, size_t size)
{
	const char *conn = getenv("SSH_CONNECTION");
	unsigned char addr[sizeof(struct in6_addr)];
	char word[INET6_ADDRSTRLEN + IF_NAMESIZE + 2], *zone;
	size_t n;

	*out = '\0';
	if (!conn)
		return;
	n = strcspn(conn, " ");
	if (n == 0 || n >= sizeof word || n >= size)
		return;
	memcpy(word, conn, n);
	word[n] = '\0';
	zone = strchr(word, '%');
	if (zone)
		*zone = '\0';
	if (inet_pton(AF_INET, word, addr) != 1 && inet_pton(AF_INET6, word, addr) != 1)
		return;
	if (zone && (strspn(zone + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
		     strlen(zone + 1) || !zone[1] || strchr(word, '.')))
		return;
	memcpy(out, conn, n);
	out[n] = '\0';
}

static void sudo_user(struct actor *a)
{
	const char *s = getenv("SUDO_USER");
	size_t i;

	a->sudo_user[0] = '\0';
	if (!s || strcmp(s, a->user) == 0)
		return;
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return;
	copy(a->sudo_user, sizeof a->sudo_user, s);
}

void actor_detect(struct actor *a, const char *via)
{
	struct passwd *pw;
	const char *tty = NULL;
	char host[256];
	int fds[] = { STDIN_FILENO, STDERR_FILENO, STDOUT_FILENO };
	size_t i;

	memset(a, 0, sizeof *a);
	a->uid = (long long)getuid();
	pw = getpwuid(getuid());
	if (pw && pw->pw_name && *pw->pw_name)
		copy(a->user, sizeof a->user, pw->pw_name);
	else
		snprintf(a->user, sizeof a->user, "%lld", a->uid);
	sudo_user(a);
	if (gethostname(host, sizeof host) < 0)
		host[0] = '\0';
	host[sizeof host - 1] = '\0';
	copy(a->host, sizeof a->host, host);
	for (i = 0; !tty && i < sizeof fds / sizeof fds[0]; i++)
		if (isatty(fds[i]))
			tty = ttyname(fds[i]);
	copy(a->tty, sizeof a->tty, tty);
	ssh_client(a->ssh_client, sizeof a->ssh_client);
	actor_set_via(a, via);
}

void actor_set_via(struct actor *a, const char *via)
{
	copy(a->via, sizeof a->via, via);
}

void actor_phrase(const struct actor *a, char *out, size_t size)
{
	char sudo[96] = "";

	if (*a->sudo_user)
		snprintf(sudo, sizeof sudo, " (sudo %s)", a->sudo_user);
	if (*a->ssh_client)
		snprintf(out, size, "%s%s@%s (ssh %s)", a->user, sudo, a->host, a->ssh_client);
	else if (*a->tty)
		snprintf(out, size, "%s%s@%s on %s", a->user, sudo, a->host, a->tty);
	else
		snprintf(out, size, "%s%s@%s", a->user, sudo, a->host);
}

/* o[key] = s when s is not empty; -1 when memory ran out. */
static int set_known(json_t *o, const char *key, const char *s)
{
	return *s ? json_object_set_new(o, key, json_string(s)) : 0;
}

json_t *actor_to_json(const struct actor *a)
{
	json_t *o = json_pack("{s:s, s:I, s:s, s:s}", "user", a->user, "uid", (json_int_t)a->uid,
			      "host", a->host, "via", a->via);

	if (o && (set_known(o, "tty", a->tty) < 0 || set_known(o, "ssh_client", a->ssh_client) < 0 ||
		  set_known(o, "sudo_user", a->sudo_user) < 0)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static void get_text(char *dst, size_t size, const json_t *o, const char *key)
{
	copy(dst, size, json_string_value(json_object_get(o, key)));
}

void actor_from_json(struct actor *a, const json_t *o)
{
	memset(a, 0, sizeof *a);
	get_text(a->user, sizeof a->user, o, "user");
	a->uid = json_integer_value(json_object_get(o, "uid"));
	get_text(a->sudo_user, sizeof a->sudo_user, o, "sudo_user");
	get_text(a->host, sizeof a->host, o, "host");
	get_text(a->tty, sizeof a->tty, o, "tty");
	get_text(a->ssh_client, sizeof a->ssh_client, o, "ssh_client");
	get_text(a->via, sizeof a->via, o, "via");
}
