#include "webhook_opts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "datadir.h"
#include "readfile.h"
#include "secret.h"

enum {
	O_NAME = 0x2000, O_RENAME, O_URL, O_EVENTS, O_PAYLOAD, O_PRESET, O_FORMAT, O_SECRET,
	O_GEN_SECRET, O_NO_SECRET, O_HEADER, O_CLEAR_HEADERS, O_DISABLED, O_ENABLED,
	O_INSECURE, O_VERIFY_TLS, O_TIMEOUT
};

int webhook_opts_parse(struct cli *c, int argc, char **argv, int editing, struct webhook_opts *o)
{
	static const struct option common[] = {
		{ "name", required_argument, NULL, O_NAME },
		{ "url", required_argument, NULL, O_URL },
		{ "events", required_argument, NULL, O_EVENTS },
		{ "payload", required_argument, NULL, O_PAYLOAD },
		{ "preset", required_argument, NULL, O_PRESET },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "secret", required_argument, NULL, O_SECRET },
		{ "gen-secret", no_argument, NULL, O_GEN_SECRET },
		{ "header", required_argument, NULL, O_HEADER },
		{ "disabled", no_argument, NULL, O_DISABLED },
		{ "insecure", no_argument, NULL, O_INSECURE },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "rename", required_argument, NULL, O_RENAME },
		{ "enabled", no_argument, NULL, O_ENABLED },
		{ "verify-tls", no_argument, NULL, O_VERIFY_TLS },
		{ "no-secret", no_argument, NULL, O_NO_SECRET },
		{ "clear-headers", no_argument, NULL, O_CLEAR_HEADERS },
		{ NULL, 0, NULL, 0 },
	};
	char **grown;
	int opt;

	memset(o, 0, sizeof *o);
	while ((opt = cli_getopt(c, argc, argv, "", common)) != -1) {
		if (!editing && (opt == O_RENAME || opt == O_ENABLED ||
		    opt == O_VERIFY_TLS || opt == O_NO_SECRET || opt == O_CLEAR_HEADERS)) {
			cli_usage(c, "option %s is for edit, not add", argv[optind - 1]);
			return -1;
		}
		switch (opt) {
		case O_NAME: o->name = optarg; break;
		case O_RENAME: o->rename = optarg; break;
		case O_URL: o->url = optarg; break;
		case O_EVENTS: o->events = optarg; break;
		case O_PAYLOAD: o->payload = optarg; break;
		case O_PRESET: o->preset = optarg; break;
		case O_FORMAT: o->format = optarg; break;
		case O_SECRET: o->secret = optarg; break;
		case O_GEN_SECRET: o->gen_secret = 1; break;
		case O_NO_SECRET: o->no_secret = 1; break;
		case O_CLEAR_HEADERS: o->clear_headers = 1; break;
		case O_DISABLED: o->disabled = 1; break;
		case O_ENABLED: o->enabled = 1; break;
		case O_INSECURE: o->insecure = 1; break;
		case O_VERIFY_TLS: o->verify_tls = 1; break;
		case O_TIMEOUT: o->timeout = optarg; break;
		case O_HEADER:
			grown = realloc(o->headers, (o->nheaders + 1) * sizeof *grown);
			if (!grown) {
				cli_fail(c, "out of memory");
				return -1;
			}
			o->headers = grown;
			o->headers[o->nheaders++] = optarg;
			break;
		default:
			return -1;
		}
	}
	if (o->payload && o->preset) {
		cli_usage(c, "--payload and --preset both give the payload; choose one");
		return -1;
	}
	if ((o->secret != NULL) + o->gen_secret + o->no_secret > 1) {
		cli_usage(c, "choose one of --secret, --gen-secret and --no-secret");
		return -1;
	}
	if ((o->disabled && o->enabled) || (o->insecure && o->verify_tls)) {
		cli_usage(c, "%s", o->disabled && o->enabled ? "--disabled and --enabled contradict each other" :
			  "--insecure and --verify-tls contradict each other");
		return -1;
	}
	return optind;
}

void webhook_opts_free(struct webhook_opts *o)
{
	free(o->headers);
	o->headers = NULL;
}

static int replace(char **dst, const char *src, char *err)
{
	char *s = strdup(src);

	if (!s) {
		err_oom(err, "option");
		return -1;
	}
	free(*dst);
	*dst = s;
	return 0;
}

static int load_payload(const char *arg, char **out, char *err)
{
	size_t len;
	char *text;

	if (arg[0] != '@')
		return replace(out, arg, err);
	text = readfile(arg + 1, &len, 1, err);
	if (!text) {
		err_prefix(err, "--payload");
		return -1;
	}
	free(*out);
	*out = text;
	return 0;
}

int webhook_opts_apply(struct cli *c, const struct webhook_opts *o, struct webhook *wh, char *err)
{
	const char *name = o->rename ? o->rename : o->name;
	char secret[SECRET_MAX];
	size_t i;

	if (name && replace(&wh->name, name, err) < 0)
		return -1;
	if (o->url && replace(&wh->url, o->url, err) < 0)
		return -1;
	if (o->events && webhook_set_events(wh, o->events, c->cat, err) < 0)
		return -1;
	if (o->preset) {
		char *payload = NULL;
		enum format f;

		if (datadir_preset(catalog_datadir(c->cat), o->preset, &payload, &f, err) < 0)
			return -1;
		free(wh->payload);
		wh->payload = payload;
		wh->format = f;
	}
	if (o->payload && load_payload(o->payload, &wh->payload, err) < 0)
		return -1;
	if (o->format && format_parse(o->format, &wh->format, err) < 0)
		return -1;
	if (o->no_secret) {
		free(wh->secret);
		wh->secret = NULL;
	}
	if (o->secret && replace(&wh->secret, o->secret, err) < 0)
		return -1;
	if (o->gen_secret && (secret_generate(secret, err) < 0 || replace(&wh->secret, secret, err) < 0))
		return -1;
	if (o->clear_headers) {
		for (i = 0; i < wh->nheaders; i++)
			free(wh->headers[i]);
		free(wh->headers);
		wh->headers = NULL;
		wh->nheaders = 0;
	}
	for (i = 0; i < o->nheaders; i++)
		if (webhook_add_header(wh, o->headers[i], err) < 0)
			return -1;
	if (o->disabled)
		wh->enabled = 0;
	if (o->enabled)
		wh->enabled = 1;
	if (o->insecure)
		wh->verify_tls = 0;
	if (o->verify_tls)
		wh->verify_tls = 1;
	if (o->timeout) {
		char *end;
		long t;

		errno = 0;
		t = strtol(o->timeout, &end, 10);
		if (errno || end == o->timeout || *end) {
			err_set(err, "timeout \"%s\" is not a whole number of seconds", o->timeout);
			return -1;
		}
		if (webhook_check_timeout(t, err) < 0)
			return -1;
		wh->timeout = (int)t;
	}
	return 0;
}

size_t webhook_opts_report(struct cli *c, const struct webhook *wh)
{
	struct webhook_problem probs[WF_COUNT];
	size_t n = webhook_validate(wh, c->cat, probs, WF_COUNT), i;

	for (i = 0; i < n && i < WF_COUNT; i++)
		cli_fail(c, "%s", probs[i].msg);
	return n;
}
