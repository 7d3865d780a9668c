/* hookman: the scripting front end. Parses the global options, then hands
 * the rest of the command line to one subcommand. */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "datadir.h"
#include "storedir.h"
#include "tui.h"

struct command {
	const char *name;
	int (*run)(struct cli *c, int argc, char **argv);
	const char *usage;
};

static const struct command commands[] = {
	{ "events", cmd_events, "events [--ids|--groups]      the event catalog (--ids, --groups: one per line)" },
	{ "list", cmd_list, "list [--names]               all webhooks, URLs masked (--names: one per line)" },
	{ "show", cmd_show, "show NAME [--reveal]         one webhook; --reveal shows URL and secret" },
	{ "add", cmd_add, "add --name N --url U --events ID|GROUP[,...]|all [OPTIONS]" },
	{ "edit", cmd_edit, "edit NAME [OPTIONS] [--rename NEW]" },
	{ "rm", cmd_rm, "rm NAME                      delete a webhook and its deliveries" },
	{ "enable", cmd_enable, "enable NAME" },
	{ "disable", cmd_disable, "disable NAME" },
	{ "payload", cmd_payload, "payload check [FILE|-]       validate a payload template" },
	{ "payload", cmd_payload, "payload check [FILE|-] --for slack|teams|teams-connector|jira|servicenow|URL\n"
		"      also what that service would not accept in the body rendered with a sample event (warnings)" },
	{ "render", cmd_render, "render NAME [--event TYPE] [--title T] [--data FILE]   the body that would be sent" },
	{ "render", cmd_render, "render NAME --event EVENT_ID [--diff]   a stored event (evt_... or its number) rendered now;\n"
		"      --diff: against the body of its delivery to NAME (exit 3 when they differ)" },
	{ "fire", cmd_fire, "fire TYPE [--title T] [--data FILE|-]      record an event and queue deliveries" },
	{ "fire", cmd_fire, "fire --stdin [--strict]      one JSON event per line: {\"type\", \"title\", \"data\"}" },
	{ "test", cmd_test, "test NAME [--event TYPE]     send the sample event now; show the response" },
	{ "deliveries", cmd_deliveries, "deliveries [NAME] [--state pending|failed|dead|delivered|dropped] [--limit N]" },
	{ "delivery", cmd_delivery, "delivery ID                  one delivery: body, every attempt and response" },
	{ "tail", cmd_tail, "tail [-f] [-n N] [NAME...] [--state delivered|failed|dead]   the last attempts; -f: live" },
	{ "redeliver", cmd_redeliver, "redeliver ID | --webhook NAME --state dead|failed|dropped [--since TIME]" },
	{ "redeliver", cmd_redeliver, "redeliver ... --rerender     the same, with the body rendered by the webhook's current payload" },
	{ "hold", cmd_hold, "hold NAME|--event TYPE [--for 30m] [--drop]   stop deliveries for a while; alone: list" },
	{ "release", cmd_release, "release NAME|--event TYPE   end a hold: what waited goes out" },
	{ "rotate-secret", cmd_rotate_secret, "rotate-secret NAME [--grace 24h]   a new secret; the old one signs too until then" },
	{ "prune", cmd_prune, "prune [--older-than 30d] [--vacuum]   remove finished deliveries and unused events" },
	{ "audit", cmd_audit, "audit [--since 1d] [-n N] [NAME]   hookman's record of its own changes" },
	{ "metrics", cmd_metrics, "metrics                      the store's state for Prometheus (text format)" },
	{ "sender", cmd_sender, "sender start|stop|status     the delivery daemon, hookmand" },
	{ "store", cmd_store, "store init                   create the store, or bring its schema up to date" },
	{ "store", cmd_store, "store copy SRC DST           copy a whole store (a directory or a postgresql:// URI)\n"
		"      into a new one, secrets included, all or nothing" },
	{ "export", cmd_export, "export [FILE] [--with-secrets]             all webhooks as JSON" },
	{ "import", cmd_import, "import FILE [--replace]      add (or with --replace, update) webhooks" },
	{ "plan", cmd_plan, "plan FILE|- [--prune]        what apply would change (exit 0: nothing, 3: something)" },
	{ "apply", cmd_apply, "apply FILE|- [--prune]       make the store match FILE (an export), all or nothing;\n"
		"      --prune: remove webhooks not in FILE. Secrets, URLs and header values may be\n"
		"      {\"env\": \"NAME\"} or {\"file\": \"PATH\"} ($CREDENTIALS_DIRECTORY/... under systemd)" },
};

static const char add_edit_options[] =
	"  --name N, --url U|@FILE, --events ID|GROUP[,...]|all   (GROUP: see hookman events)\n"
	"  --payload JSON|@FILE|@-    the template (a JSON object with $Title and $Event)\n"
	"  --preset slack|teams|teams-connector|jira|servicenow|generic\n"
	"      (teams: Teams Workflows, an Adaptive Card; teams-connector: the retired\n"
	"      Office 365 connector, for older tenants only)\n"
	"  --format default|slack|jira\n"
	"  --secret whsec_...|-, --secret-file FILE, --gen-secret   (edit: --no-secret removes it)\n"
	"  --header 'Name: value'|@FILE   repeatable (edit: --clear-headers first)\n"
	"      (@FILE, - and --secret-file keep secrets out of the command line, which ps shows)\n"
	"  --disabled, --insecure, --timeout SECONDS   (edit: --enabled, --verify-tls, --rename NEW)\n"
	"  --rate N/s|N/m|N/h|N/10s|none   deliveries wait, in order, to keep to it\n"
	"  --retry-schedule 10s,1m,10m|default   this webhook's retry delays\n"
	"  --coalesce 5m|none   repeats of one type and title in the window: one delivery\n";

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "Usage: hookman [--store DIR] [--json] [--datadir DIR] COMMAND [ARGS]\n\n"
		"Without a COMMAND, open the terminal interface on the store.\nWith one, manage webhooks and fire events from a shell.\n\nCommands:\n");
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %s\n", commands[i].usage);
	fprintf(out, "\nOptions of add and edit:\n%s", add_edit_options);
	fprintf(out,
		"\nThe store is --store DIR, else $HOOKMAN_STORE, else $XDG_DATA_HOME/hookman\n"
		"(~/.local/share/hookman). Exit status: 0 done, 1 refused or failed, 2 usage error\n"
		"(render --diff: 3 when the bodies differ; plan: 3 when apply would change something).\n");
}

/* "hookman COMMAND --help": the usage lines of that command. */
static int wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

static void command_help(const char *name)
{
	size_t i;

	printf("Usage:\n");
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, name) == 0)
			printf("  hookman [--store DIR] [--json] %s\n", commands[i].usage);
	if (strcmp(name, "add") == 0 || strcmp(name, "edit") == 0)
		printf("\nOptions:\n%s", add_edit_options);
	printf("\nSee hookman(1) for details.\n");
}

/* No command: the terminal interface on the store. */
static int run_tui(struct cli *c)
{
	char err[ERR_MAX];
	int rc;

	if (storedir_resolve(c->store_opt, c->dir, sizeof c->dir, err) < 0 ||
	    storedir_run_dir(c->dir, c->run_opt, c->run, sizeof c->run, err) < 0)
		return cli_fail(c, "%s", err);
	rc = tui_run(c->dir, c->run, datadir_resolve(c->datadir_opt), cli_hookmand_path(), err);
	if (rc != 0)
		cli_fail(c, "%s", err);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_GLOBAL_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .wake = { .fd = -1 } };
	int opt, rc;
	size_t i;

	setlocale(LC_ALL, "");
	/* Past a file size limit (ulimit -f) a write fails with EFBIG, which
	 * is reported, instead of killing hookman with no word. */
	signal(SIGXFSZ, SIG_IGN);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:hV", opts, NULL)) != -1) {
		if (cli_global(&c, opt, optarg))
			continue;
		if (opt == 'h') {
			usage(stdout);
			return EXIT_OK;
		}
		if (opt == 'V') {
			printf("hookman %s\n", PACKAGE_VERSION);
			return EXIT_OK;
		}
		if (opt == ':')
			return cli_usage(&c, "option %s needs a value", argv[optind - 1]);
		return cli_bad_option(&c, argv);
	}
	if (optind >= argc)
		return run_tui(&c);
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[optind], commands[i].name) == 0)
			break;
	if (i == sizeof commands / sizeof commands[0]) {
		if (strcmp(argv[optind], "help") == 0) {
			usage(stdout);
			return EXIT_OK;
		}
		return cli_usage(&c, "unknown command \"%s\"", argv[optind]);
	}
	c.cmd = commands[i].name;
	argv += optind;
	argc -= optind;
	if (wants_help(argc, argv)) {
		command_help(commands[i].name);
		return EXIT_OK;
	}
	optind = 0;   /* restart getopt for the subcommand, GNU style */
	rc = commands[i].run(&c, argc, argv);
	/* Audit events the command fired go out now, like any other. */
	if (c.audit.queued)
		cli_wake(&c);
	cli_wake_finish(&c);
	audit_detach(&c.audit);
	store_close(c.st);
	catalog_free(c.cat);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("hookman: writing output");
		return EXIT_REFUSED;
	}
	return rc;
}
