/* The options add and edit share, parsed once and applied to a webhook. */
#ifndef HOOKMAN_WEBHOOK_OPTS_H
#define HOOKMAN_WEBHOOK_OPTS_H

#include "cli.h"
#include "webhook.h"

/* Values that are credentials can stay off the command line, where every
 * local user reads them in ps: --secret - (standard input), --secret-file
 * FILE, --url @FILE and --header @FILE (one "Name: value" a line). */
struct webhook_opts {
	const char *name, *rename, *url, *events, *payload, *preset, *format, *secret, *timeout;
	const char *secret_file;
	const char *rate, *retry_schedule;   /* "none"/"off" and "default" remove them */
	const char *coalesce;                /* "none"/"off" removes it */
	int gen_secret, no_secret, clear_headers;
	int disabled, enabled, insecure, verify_tls;
	char **headers;         /* argv pointers, array owned here */
	size_t nheaders;
};

/* Parse argv. editing allows --rename, --enabled, --verify-tls,
 * --no-secret and --clear-headers. Returns the index of the first operand,
 * or -1 after reporting a usage error. Free with webhook_opts_free(). */
int webhook_opts_parse(struct cli *c, int argc, char **argv, int editing, struct webhook_opts *o);
void webhook_opts_free(struct webhook_opts *o);

/* Apply the options to wh (a new webhook, or one loaded for editing).
 * Values that cannot even be read (a payload, secret, URL or header file
 * that is missing, unreadable, too large or empty; unknown preset; timeout
 * that is not a number; bad header) fail here with err naming the option
 * and file, before anything is stored; the webhook's rules are checked
 * afterwards with webhook_validate(). */
int webhook_opts_apply(struct cli *c, const struct webhook_opts *o, struct webhook *wh, char *err);

/* Print every problem of wh as "hookman: CMD: message". Returns the count. */
size_t webhook_opts_report(struct cli *c, const struct webhook *wh);

#endif
