/* payload check and render: what a template means before it is saved. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "destination.h"
#include "format.h"
#include "readfile.h"
#include "rerender.h"
#include "template.h"
#include "textdiff.h"

/* Show the line of a syntax error with a caret under the column, the way a
 * compiler does, so the operator sees where to look. */
static void show_position(const char *text, size_t len, const struct template_verdict *v)
{
	const char *line = text, *end;
	int n = 1, col;

	if (v->line <= 0)
		return;
	while (n < v->line && (line = memchr(line, '\n', len - (size_t)(line - text)))) {
		line++;
		n++;
	}
	if (!line)
		return;
	end = memchr(line, '\n', len - (size_t)(line - text));
	if (!end)
		end = text + len;
	fprintf(stderr, "%5d | %.*s\n      | ", v->line, (int)(end - line), line);
	for (col = 1; col < v->column; col++)
		fputc(line[col - 1] == '\t' ? '\t' : ' ', stderr);
	fputs("^\n", stderr);
}

/* The template rendered with a sample event (the catalog's first type) and
 * checked against what service d accepts: each warning on standard output
 * as "warning: ...", or "ok". Advice only, so EXIT_OK either way. */
static int check_for(struct cli *c, enum destination d, const char *text)
{
	struct sbuf w;
	char err[ERR_MAX];
	const char *line, *nl;
	json_t *list;
	int n;

	if (cli_catalog(c) < 0)
		return EXIT_REFUSED;
	sbuf_init(&w);
	n = destination_check_payload(d, c->cat, NULL, text, d == DEST_SLACK ? FORMAT_SLACK : FORMAT_DEFAULT, &w, err);
	if (n < 0) {
		sbuf_release(&w);
		return cli_fail(c, "%s", err);
	}
	list = json_array();
	for (line = sbuf_text(&w); *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (c->json)
			json_array_append_new(list, json_stringn(line, (size_t)(nl - line)));
		else
			printf("warning: %.*s\n", (int)(nl - line), line);
	}
	sbuf_release(&w);
	if (c->json)
		return cli_print_json(c, json_pack("{s:b, s:s, s:o}", "ok", 1, "for", destination_name(d),
						   "warnings", list));
	json_decref(list);
	if (!n)
		printf("ok\n");
	return EXIT_OK;
}

int cmd_payload(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "for", required_argument, NULL, 'f' }, { NULL, 0, NULL, 0 } };
	struct template_verdict v;
	enum destination d = DEST_NONE;
	const char *path = "-", *dest = NULL;
	char err[ERR_MAX], *text;
	size_t len;
	int opt, rc;

	c->cmd = "payload check";
	if (argc < 2 || strcmp(argv[1], "check") != 0)
		return cli_usage(c, argc < 2 ? "missing subcommand: use 'hookman payload check [FILE|-]'" :
				 "unknown subcommand \"%s\": use 'hookman payload check [FILE|-]'",
				 argc < 2 ? "" : argv[1]);
	argc--;
	argv++;
	while ((opt = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (opt != 'f')
			return EXIT_USAGE;
		dest = optarg;
	}
	if (argc - optind > 1)
		return cli_usage(c, "give one FILE, or - for standard input");
	if (dest && (d = destination_parse(dest)) == DEST_NONE)
		return cli_usage(c, "--for: \"%s\" is not slack, teams, teams-connector, jira, servicenow or the URL of "
				 "one of them (hooks.slack.com, *.logic.azure.com, *.powerplatform.com, "
				 "*.webhook.office.com, an Atlassian /automation/webhooks/ URL, "
				 "*.service-now.com/api/now/table/)", dest);
	if (optind < argc)
		path = argv[optind];
	text = readfile(path, &len, 1, err);
	if (!text)
		return cli_fail(c, "%s", err);
	if (template_check(text, len, &v, NULL) < 0) {
		cli_fail(c, "%s", v.msg);
		show_position(text, len, &v);
		free(text);
		return EXIT_REFUSED;
	}
	if (d != DEST_NONE) {
		rc = check_for(c, d, text);
		free(text);
		return rc;
	}
	free(text);
	if (c->json)
		return cli_print_json(c, json_pack("{s:b}", "ok", 1));
	printf("ok\n");
	return EXIT_OK;
}

/* A diff as it is, or coloured as git colours one when standard output
 * is a terminal and NO_COLOR is not set. */
static void print_diff(const char *diff)
{
	const char *nc = getenv("NO_COLOR"), *line = diff, *nl;
	int colour = isatty(STDOUT_FILENO) && !(nc && *nc);

	for (; *line; line = *nl ? nl + 1 : nl) {
		const char *on = "";

		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line);
		if (colour && strncmp(line, "---", 3) && strncmp(line, "+++", 3))
			on = *line == '-' ? "\033[31m" : *line == '+' ? "\033[32m" : *line == '@' ? "\033[36m" : "";
		printf("%s%.*s%s\n", on, (int)(nl - line), line, *on ? "\033[m" : "");
	}
}

/* render NAME --event EVENT_ID [--diff]: the stored event with the
 * webhook's current payload and format, or how that differs from the body
 * its delivery of the event holds. */
static int render_stored(struct cli *c, const char *name, const char *event, int diff)
{
	struct rerender_body b;
	struct sbuf text, label;
	long long row;
	char err[ERR_MAX];
	int rc = EXIT_OK;

	if (cli_catalog(c) < 0 || cli_store(c) < 0)
		return EXIT_REFUSED;
	if (rerender_event_resolve(c->st, event, &row, err) < 0 ||
	    rerender_for_webhook(c->st, c->cat, name, row, &b, err) < 0)
		return cli_fail(c, "%s", err);
	if (!diff) {
		printf("%s\n", b.now);
	} else if (!b.stored) {
		rc = cli_fail(c, "webhook \"%s\" has no delivery of event %s (it was not subscribed or was disabled when "
			      "the event was fired); without --diff, render shows the body it would get", b.webhook,
			      b.event);
	} else if (strcmp(b.stored, b.now) == 0) {
		printf("no difference: delivery %lld (%s) would be sent with the same body\n", b.delivery, b.uid);
	} else {
		sbuf_init(&text);
		sbuf_init(&label);
		sbuf_appendf(&label, "stored (delivery %s)", b.uid);
		if (label.failed || textdiff_json(b.stored, b.now, sbuf_text(&label), "now", 3, &text, NULL) < 0) {
			rc = cli_fail(c, "out of memory comparing the bodies");
		} else {
			print_diff(sbuf_text(&text));
			rc = EXIT_DIFFERS;
		}
		sbuf_release(&text);
		sbuf_release(&label);
	}
	rerender_body_clear(&b);
	return rc;
}

int cmd_render(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "event", required_argument, NULL, 'e' },
		{ "data", required_argument, NULL, 'd' },
		{ "title", required_argument, NULL, 't' },
		{ "diff", no_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	const char *type = NULL, *datapath = NULL, *title = NULL;
	struct webhook wh;
	struct event ev;
	json_t *data = NULL;
	char err[ERR_MAX], never[ERR_MAX], *body;
	int opt, fits, diff = 0;

	while ((opt = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (opt == 'e')
			type = optarg;
		else if (opt == 'd')
			datapath = optarg;
		else if (opt == 't')
			title = optarg;
		else if (opt == 'D')
			diff = 1;
		else
			return EXIT_USAGE;
	}
	if (argc - optind != 1)
		return cli_usage(c, "give exactly one webhook NAME");
	if (type && rerender_is_event_id(type)) {
		if (title || datapath)
			return cli_usage(c, "--title and --data describe a sample event; stored event %s keeps its own", type);
		return render_stored(c, argv[optind], type, diff);
	}
	if (diff)
		return cli_usage(c, "--diff compares a stored event: give --event EVENT_ID (an evt_ id or an event number)");
	if (cli_catalog(c) < 0 || cli_store(c) < 0)
		return EXIT_REFUSED;
	if (store_webhook_get(c->st, argv[optind], &wh, err) < 0)
		return cli_fail(c, "%s", err);
	if (!type)
		type = wh.nevents ? wh.events[0] : "";
	if (datapath && !(data = cli_read_data(c, datapath))) {
		webhook_clear(&wh);
		return EXIT_REFUSED;
	}
	if (event_init(&ev, c->cat, type, title, data, err) < 0) {
		webhook_clear(&wh);
		return cli_fail(c, "%s", err);
	}
	/* A preview of what delivery would never send is still useful (how
	 * would it look?), but must not pass for a body that can be sent. */
	fits = format_fits(wh.format, c->cat, ev.type, never);
	body = format_render(wh.payload, wh.format, &ev, err);
	event_clear(&ev);
	webhook_clear(&wh);
	if (!body)
		return cli_fail(c, "%s", err);
	if (fits < 0)
		fprintf(stderr, "hookman: %s: warning: this body would never be sent: %s\n", c->cmd, never);
	printf("%s\n", body);
	free(body);
	return EXIT_OK;
}
