/* Who is at the keyboard, as the audit record names them: the account
 * (from the process's real uid, not $USER, which anyone can set), the
 * host, the terminal or the SSH client, and the front end used. */
#ifndef HOOKMAN_ACTOR_H
#define HOOKMAN_ACTOR_H

#include <jansson.h>

struct actor {
	char user[64];        /* login name; the uid as digits when it has no name */
	long long uid;
	char sudo_user[64];   /* $SUDO_USER, who ran sudo to be this account ("sudo -u svc"), else "" */
	char host[256];
	char tty[64];         /* "/dev/pts/3", or "" without a terminal */
	char ssh_client[64];  /* the client address from $SSH_CONNECTION, or "" */
	char via[16];         /* "cli", "tui", "import", "apply", "hookmand" */
};

/* Fill *a for this process, through via (copied, cut to fit). Never
 * fails: what cannot be read is left empty. */
void actor_detect(struct actor *a, const char *via);

/* Change the front end recorded from now on ("import" for the rest of a
 * command that imports). */
void actor_set_via(struct actor *a, const char *via);

/* "alice@jump1 (ssh 10.0.0.5)", "root (sudo alice)@box on /dev/pts/1":
 * who, as one phrase for titles and listings. Written into out (cut to
 * size, always terminated). */
void actor_phrase(const struct actor *a, char *out, size_t size);

/* Read back what actor_to_json wrote (missing members left empty), for
 * listing the record. */
void actor_from_json(struct actor *a, const json_t *o);

/* The actor as a JSON object {"user", "uid", "host", "via", and when
 * known "tty", "ssh_client", "sudo_user"}. New reference; NULL when
 * memory ran out. */
json_t *actor_to_json(const struct actor *a);

#endif
