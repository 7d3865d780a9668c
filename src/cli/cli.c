#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "datadir.h"
#include "optmsg.h"
#include "readfile.h"
#include "storedir.h"
#include "timefmt.h"
#include "utf8.h"

int cli_global(struct cli *c, int opt, const char *arg)
{
	switch (opt) {
	case CLI_OPT_STORE: c->store_opt = arg; return 1;
	case CLI_OPT_JSON: c->json = 1; return 1;
	case CLI_OPT_DATADIR: c->datadir_opt = arg; return 1;
	case CLI_OPT_RUN_DIR: c->run_opt = arg; return 1;
	default: return 0;
	}
}

int cli_getopt(struct cli *c, int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	static struct option merged[64];
	static const struct option globals[] = { CLI_GLOBAL_OPTIONS, { NULL, 0, NULL, 0 } };
	size_t n = 0, i;
	char spec[128];
	int opt;

	for (i = 0; longopts && longopts[i].name && n < 60; i++)
		merged[n++] = longopts[i];
	for (i = 0; globals[i].name; i++)
		merged[n++] = globals[i];
	memset(&merged[n], 0, sizeof merged[n]);
	/* A leading ':' lets us word a missing argument ourselves. */
	snprintf(spec, sizeof spec, ":%s", shortopts);
	opterr = 0;
	for (;;) {
		opt = getopt_long(argc, argv, spec, merged, NULL);
		if (opt == -1 || !cli_global(c, opt, optarg))
			break;
	}
	if (opt == '?') {
		cli_bad_option(c, argv);
	} else if (opt == ':') {
		cli_usage(c, "option %s needs a value", argv[optind - 1]);
		opt = '?';
	}
	return opt;
}

int cli_bad_option(const struct cli *c, char **argv)
{
	char msg[256];

	optmsg_refused(argv[optind - 1], optopt, msg, sizeof msg);
	return cli_usage(c, "%s", msg);
}

static void vreport(const struct cli *c, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void vreport(const struct cli *c, const char *fmt, va_list ap)
{
	/* "hookman: add: …" in a command, "hookman: …" outside one. */
	if (c->cmd)
		fprintf(stderr, "hookman: %s: ", c->cmd);
	else
		fputs("hookman: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int cli_fail(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(c, fmt, ap);
	va_end(ap);
	return EXIT_REFUSED;
}

int cli_usage(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(c, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'hookman --help' for the commands and their options.\n");
	return EXIT_USAGE;
}

int cli_store(struct cli *c)
{
	char err[ERR_MAX];

	if (c->st)
		return 0;
	if (storedir_resolve(c->store_opt, c->dir, sizeof c->dir, err) < 0 ||
	    storedir_run_dir(c->dir, c->run_opt, c->run, sizeof c->run, err) < 0) {
		cli_fail(c, "%s", err);
		return -1;
	}
	c->st = store_open(c->dir, err);
	if (!c->st) {
		cli_fail(c, "%s", err);
		return -1;
	}
	if (audit_attach(&c->audit, c->st, datadir_resolve(c->datadir_opt), "cli", err) < 0) {
		cli_fail(c, "cannot keep the audit record: %s", err);
		audit_detach(&c->audit);
		store_close(c->st);
		c->st = NULL;
		return -1;
	}
	return 0;
}

const char *cli_store_name(const struct cli *c)
{
	return c->st && store_is_postgresql(c->st) ? store_path(c->st) : c->dir;
}

int cli_catalog(struct cli *c)
{
	char err[ERR_MAX];

	if (c->cat)
		return 0;
	c->cat = catalog_load(datadir_resolve(c->datadir_opt), err);
	if (!c->cat) {
		cli_fail(c, "%s", err);
		return -1;
	}
	return 0;
}

int cli_print_json(const struct cli *c, json_t *j)
{
	int rc;

	if (!j)
		return cli_fail(c, "out of memory");
	rc = json_dumpf(j, stdout, JSON_INDENT(2));
	json_decref(j);
	if (rc < 0)
		return cli_fail(c, "cannot write the output");
	fputc('\n', stdout);
	return EXIT_OK;
}

int cli_parse_count(const char *text, long min, long max, long *out)
{
	char *end;
	long n;

	if (!isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	n = strtol(text, &end, 10);
	if (*end || errno == ERANGE || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

void cli_format_time(long long ms, char *out, size_t size)
{
	char when[32];

	timefmt_utc(ms, TIMEFMT_FULL, when, sizeof when);
	snprintf(out, size, ms > 0 && when[0] != '-' ? "%s UTC" : "%s", when);
}

void cli_shell_word(struct sbuf *out, const char *s)
{
	static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/:@%+=,-";

	if (*s && strspn(s, plain) == strlen(s)) {
		sbuf_append(out, s);
		return;
	}
	sbuf_append(out, "'");
	for (; *s; s++) {
		if (*s == '\'')
			sbuf_append(out, "'\\''");
		else
			sbuf_appendn(out, s, 1);
	}
	sbuf_append(out, "'");
}

json_t *cli_read_data(struct cli *c, const char *path)
{
	json_error_t jerr;
	char err[ERR_MAX], *text;
	json_t *data;
	size_t len;

	text = readfile(path, &len, 1, err);
	if (!text) {
		cli_fail(c, "--data: %s", err);
		return NULL;
	}
	data = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (!data) {
		cli_fail(c, "--data %s: line %d, column %d: %s", path, jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	if (!json_is_object(data)) {
		cli_fail(c, "--data %s: event data must be a JSON object", path);
		json_decref(data);
		return NULL;
	}
	return data;
}

/* hookmand beside this hookman (an uninstalled build, or bindir), else
 * $HOOKMAND, else the installed one. */
const char *cli_hookmand_path(void)
{
	static char path[4200];
	const char *env = getenv("HOOKMAND");
	char exe[4096], *slash;
	ssize_t n;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(path, sizeof path, "%s/hookmand", exe);
			if (access(path, X_OK) == 0)
				return path;
		}
	}
	return BINDIR "/hookmand";
}

int cli_ensure_sender(struct cli *c, int *started, char *err)
{
	return control_ensure(c->run, c->dir, cli_hookmand_path(), 5000, started, err);
}

int cli_wake(struct cli *c)
{
	const char *autostart = getenv("HOOKMAN_AUTOSTART");
	char err[ERR_MAX];

	cli_wake_finish(c);
	/* One connection when hookmand runs (the usual case): the wake
	 * itself, not a probe first. */
	if (control_wake_start(c->run, &c->wake, err) == 0)
		return 0;
	if (autostart && strcmp(autostart, "0") == 0)
		return -1;
	if (cli_ensure_sender(c, NULL, err) < 0) {
		fprintf(stderr, "hookman: %s: warning: %s; the deliveries stay queued until hookmand runs\n",
			c->cmd, err);
		return -1;
	}
	return control_wake_start(c->run, &c->wake, err);
}

void cli_wake_finish(struct cli *c)
{
	char err[ERR_MAX], store_error[ERR_MAX];
	char *safe;

	if (c->wake.fd < 0 || control_wake_finish(&c->wake, 2000, store_error, err) < 0 || !store_error[0] ||
	    c->sender_warned)
		return;
	safe = utf8_escape_controls(store_error);
	fprintf(stderr, "hookman: %s: warning: hookmand reports a STORE ERROR, nothing is delivered until it "
		"is resolved: %s (hookman sender status shows it; see hookmand.log in the store)\n", c->cmd,
		safe ? safe : "out of memory");
	free(safe);
	c->sender_warned = 1;
}

void cli_print_received(const char *text, size_t max)
{
	size_t n = strlen(text);
	char *cut = NULL, *safe;
	const char *p, *nl;

	if (max > 0 && n > max) {
		n = max;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
		cut = strndup(text, n);
	}
	safe = utf8_escape_controls(cut ? cut : text);
	for (p = safe ? safe : "(out of memory)"; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		printf("    %.*s\n", (int)(nl ? nl - p : (long)strlen(p)), p);
		if (!nl)
			break;
	}
	if (cut)
		printf("    … (first %zu of %zu bytes shown)\n", n, strlen(text));
	free(safe);
	free(cut);
}

void cli_put_received(const char *text)
{
	char *safe = utf8_escape_controls(text);

	fputs(safe ? safe : "(out of memory)", stdout);
	free(safe);
}
