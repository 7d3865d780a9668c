#include "webhook_opts.h"

#include <stdlib.h>
#include <string.h>

#include "datadir.h"
#include "duration.h"
#include "coalesce.h"
#include "rate.h"
#include "readfile.h"
#include "secret.h"
#include "utf8.h"

enum {
	O_NAME = 0x2000, O_RENAME, O_URL, O_EVENTS, O_PAYLOAD, O_PRESET, O_FORMAT, O_SECRET,
	O_GEN_SECRET, O_NO_SECRET, O_HEADER, O_CLEAR_HEADERS, O_DISABLED, O_ENABLED,
	O_INSECURE, O_VERIFY_TLS, O_TIMEOUT, O_SECRET_FILE, O_RATE, O_RETRY_SCHEDULE, O_COALESCE
};

/* A file that holds one option's value (a secret, a URL, headers) is
 * small: more than this is the wrong file. */
#define VALUE_FILE_MAX (1024 * 1024)

/* The options that read standard input ("-" or "@-"): one at most. */
static size_t stdin_readers(const struct webhook_opts *o)
{
	size_t n = 0, i;

	n += o->payload && strcmp(o->payload, "@-") == 0;
	n += o->url && strcmp(o->url, "@-") == 0;
	n += o->secret && strcmp(o->secret, "-") == 0;
	n += o->secret_file && strcmp(o->secret_file, "-") == 0;
	for (i = 0; i < o->nheaders; i++)
		n += strcmp(o->headers[i], "@-") == 0;
	return n;
}

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
		{ "secret-file", required_argument, NULL, O_SECRET_FILE },
		{ "gen-secret", no_argument, NULL, O_GEN_SECRET },
		{ "header", required_argument, NULL, O_HEADER },
		{ "disabled", no_argument, NULL, O_DISABLED },
		{ "insecure", no_argument, NULL, O_INSECURE },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "rate", required_argument, NULL, O_RATE },
		{ "retry-schedule", required_argument, NULL, O_RETRY_SCHEDULE },
		{ "coalesce", required_argument, NULL, O_COALESCE },
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
		case O_SECRET_FILE: o->secret_file = optarg; break;
		case O_GEN_SECRET: o->gen_secret = 1; break;
		case O_NO_SECRET: o->no_secret = 1; break;
		case O_CLEAR_HEADERS: o->clear_headers = 1; break;
		case O_DISABLED: o->disabled = 1; break;
		case O_ENABLED: o->enabled = 1; break;
		case O_INSECURE: o->insecure = 1; break;
		case O_VERIFY_TLS: o->verify_tls = 1; break;
		case O_TIMEOUT: o->timeout = optarg; break;
		case O_RATE: o->rate = optarg; break;
		case O_RETRY_SCHEDULE: o->retry_schedule = optarg; break;
		case O_COALESCE: o->coalesce = optarg; break;
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
	if ((o->secret != NULL) + (o->secret_file != NULL) + o->gen_secret + o->no_secret > 1) {
		cli_usage(c, "choose one of --secret, --secret-file, --gen-secret and --no-secret");
		return -1;
	}
	if (stdin_readers(o) > 1) {
		cli_usage(c, "only one option can read standard input (--payload @-, --secret -, --url @-, --header @-)");
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

/* The value an option reads from a file (path "-": standard input), kept
 * off the command line: at most VALUE_FILE_MAX bytes of text, trailing
 * line ends removed, not empty. `holds` says what the file should hold.
 * Returns the text (caller frees), or NULL with err naming the option and
 * the file. */
static char *read_value(const char *opt, const char *path, const char *holds, char *err)
{
	size_t len;
	char *text = readfile_max(path, VALUE_FILE_MAX, &len, 1, err);

	if (!text) {
		err_prefix(err, "%s", opt);
		return NULL;
	}
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		text[--len] = '\0';
	if (len == 0) {
		err_set(err, "%s: %s is empty; it should hold %s", opt,
			strcmp(path, "-") == 0 ? "standard input" : path, holds);
		free(text);
		return NULL;
	}
	return text;
}

/* Set *dst to what read_value reads from path. */
static int set_from_file(const char *opt, const char *path, const char *holds, char **dst, char *err)
{
	char *text = read_value(opt, path, holds, err);

	if (!text)
		return -1;
	free(*dst);
	*dst = text;
	return 0;
}

/* Escape the control characters of a message in err (ERR_MAX bytes) that
 * quotes input from a file, as a response is escaped (utf8_escape_controls),
 * so that the file cannot drive the terminal the message is printed on. */
static void escape_err(char *err)
{
	char *safe = utf8_escape_controls(err);

	if (safe)
		err_set(err, "%s", safe);
	else
		err_oom(err, "message");
	free(safe);
}

/* --header 'Name: value', or @FILE with one such line a line (blank lines
 * skipped), each checked as --header checks it. */
static int load_headers(struct webhook *wh, const char *arg, char *err)
{
	const char *path = arg + 1;
	char *text, *line, *next;
	size_t lineno = 0, len;

	if (arg[0] != '@')
		return webhook_add_header(wh, arg, err);
	text = read_value("--header", path, "the headers, one 'Name: value' per line", err);
	if (!text)
		return -1;
	for (line = text; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (strspn(line, " \t") == len)
			continue;
		if (webhook_add_header(wh, line, err) < 0) {
			escape_err(err);
			err_prefix(err, "--header: %s, line %zu",
				   strcmp(path, "-") == 0 ? "standard input" : path, lineno);
			free(text);
			return -1;
		}
	}
	free(text);
	return 0;
}

int webhook_opts_apply(struct cli *c, const struct webhook_opts *o, struct webhook *wh, char *err)
{
	const char *name = o->rename ? o->rename : o->name;
	char secret[SECRET_MAX];
	size_t i;

	if (name && replace(&wh->name, name, err) < 0)
		return -1;
	if (o->url && (o->url[0] == '@' ? set_from_file("--url", o->url + 1, "the URL", &wh->url, err) :
		       replace(&wh->url, o->url, err)) < 0)
		return -1;
	if (o->events && webhook_set_events(wh, o->events, c->cat, err) < 0)
		return -1;
	if (o->preset) {
		char *payload = NULL;
		enum format f;

		char why[ERR_MAX];

		if (datadir_preset(catalog_datadir(c->cat), o->preset, &payload, &f, err) < 0)
			return -1;
		free(wh->payload);
		wh->payload = payload;
		wh->format = format_for_preset(f, c->cat, wh->events, wh->nevents, why);
		if (why[0] && !o->format)
			fprintf(stderr, "hookman: %s: note: %s\n", c->cmd, why);
	}
	if (o->payload && load_payload(o->payload, &wh->payload, err) < 0)
		return -1;
	if (o->format && format_parse(o->format, &wh->format, err) < 0)
		return -1;
	/* Setting or removing the secret by hand is the operator saying what
	 * signs from now on: a rotated-out secret still in its grace goes too
	 * (rotate-secret is the way to keep the old one for a while). */
	if (o->no_secret || o->secret || o->secret_file || o->gen_secret) {
		free(wh->secret_previous);
		wh->secret_previous = NULL;
		wh->secret_previous_until = 0;
	}
	if (o->no_secret) {
		free(wh->secret);
		wh->secret = NULL;
	}
	if (o->secret && (strcmp(o->secret, "-") == 0 ?
			  set_from_file("--secret", "-", "the signing secret", &wh->secret, err) :
			  replace(&wh->secret, o->secret, err)) < 0)
		return -1;
	if (o->secret_file && set_from_file("--secret-file", o->secret_file, "the signing secret", &wh->secret, err) < 0)
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
		if (load_headers(wh, o->headers[i], err) < 0)
			return -1;
	if (o->disabled)
		wh->enabled = 0;
	if (o->enabled)
		wh->enabled = 1;
	if (o->insecure)
		wh->verify_tls = 0;
	if (o->verify_tls)
		wh->verify_tls = 1;
	if (o->timeout && duration_parse_timeout(o->timeout, &wh->timeout, err) < 0)
		return -1;
	if (o->rate && rate_parse(o->rate, &wh->rate_n, &wh->rate_ms, err) < 0) {
		err_prefix(err, "--rate");
		return -1;
	}
	if (o->retry_schedule && retry_parse_own(o->retry_schedule, wh->retry_ms, &wh->nretry, err) < 0) {
		err_prefix(err, "--retry-schedule");
		return -1;
	}
	if (o->coalesce && coalesce_parse(o->coalesce, &wh->coalesce_ms, err) < 0) {
		err_prefix(err, "--coalesce");
		return -1;
	}
	return 0;
}

size_t webhook_opts_report(struct cli *c, const struct webhook *wh)
{
	struct webhook_problem probs[WF_COUNT];
	size_t n = webhook_validate(wh, c->cat, probs, WF_COUNT), i;

	/* The values may come from files (--url @FILE, --payload @FILE): what
	 * a message quotes of them is escaped. */
	for (i = 0; i < n && i < WF_COUNT; i++) {
		escape_err(probs[i].msg);
		cli_fail(c, "%s", probs[i].msg);
	}
	return n;
}
