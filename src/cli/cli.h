/* What every hookman subcommand shares: the global options, the store and
 * catalog opened on demand, and the error and exit conventions. */
#ifndef HOOKMAN_CLI_H
#define HOOKMAN_CLI_H

#include <getopt.h>

#include "audit.h"
#include "catalog.h"
#include "control.h"
#include "sbuf.h"
#include "store.h"

/* Exit statuses. */
#define EXIT_OK 0
#define EXIT_REFUSED 1
#define EXIT_USAGE 2
#define EXIT_DIFFERS 3   /* render --diff: the body would change; plan: the store would */

struct cli {
	const char *cmd;        /* "add", "payload check", … for messages */
	const char *store_opt;  /* --store */
	const char *datadir_opt;/* --datadir */
	int json;               /* --json */
	struct store *st;
	struct catalog *cat;
	const char *run_opt;    /* --run-dir */
	char dir[4096];         /* the store directory or URI, once cli_store() ran */
	char run[4096];         /* hookmand's run directory (storedir_run_dir), the same */
	int sender_warned;      /* the sender's store error was printed once */
	struct control_pending wake; /* a wake whose answer is still to read
				      * (fd -1 when none): cli_wake_finish */
	struct audit audit;     /* attached to st by cli_store (audit.h) */
};

/* Long options every subcommand accepts besides its own; cli_global()
 * handles them inside a subcommand's getopt loop. */
#define CLI_OPT_STORE 0x1000
#define CLI_OPT_JSON 0x1001
#define CLI_OPT_DATADIR 0x1002
#define CLI_OPT_RUN_DIR 0x1003
#define CLI_GLOBAL_OPTIONS \
	{ "store", required_argument, NULL, CLI_OPT_STORE }, \
	{ "json", no_argument, NULL, CLI_OPT_JSON }, \
	{ "datadir", required_argument, NULL, CLI_OPT_DATADIR }, \
	{ "run-dir", required_argument, NULL, CLI_OPT_RUN_DIR }

/* Handle a global option returned by getopt_long; 1 if it was one. */
int cli_global(struct cli *c, int opt, const char *arg);

/* Parse a subcommand's options. Wraps getopt_long with the global options
 * added and usage errors reported; returns the option, -1 at the end, or
 * '?' after printing the usage error. */
int cli_getopt(struct cli *c, int argc, char **argv, const char *shortopts,
	       const struct option *longopts);

/* "hookman: CMD: message" on stderr. Returns EXIT_REFUSED. */
int cli_fail(const struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The usage error for the option getopt_long just refused ('?'):
 * "unknown option --x", "option --names takes no value" or "unknown
 * option -z". EXIT_USAGE. */
int cli_bad_option(const struct cli *c, char **argv);

/* A usage error: the message, then a hint to see the help. EXIT_USAGE. */
int cli_usage(const struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Open the store / load the catalog once; on failure report and return -1.
 * The store is opened with the audit record attached (through "cli";
 * actor_set_via(&c->audit.who, …) names another front end). */
int cli_store(struct cli *c);

/* The store as messages name it, once cli_store ran: its directory, or
 * its URI with the password masked. */
const char *cli_store_name(const struct cli *c);
int cli_catalog(struct cli *c);

/* Make sure hookmand runs for the store (starting it unless
 * HOOKMAN_AUTOSTART=0) and tell it to look at the queue now. Prints a
 * warning, not an error, when it cannot: the work stays queued. Returns 0
 * when the wake was sent. Its answer is not awaited here (the deliveries
 * start while the command finishes its work): cli_wake_finish reads it. */
int cli_wake(struct cli *c);

/* Read the answer of the last wake, if one is pending (waiting for it up
 * to 2 s, as it is usually there already), and print a warning when
 * hookmand reports that it cannot use the store (its STORE ERROR, once per
 * command). main calls it after every command; cli_wake before a new wake. */
void cli_wake_finish(struct cli *c);

/* The hookmand to start: $HOOKMAND, the one beside this hookman, or the
 * installed one. Static storage. */
const char *cli_hookmand_path(void);

/* Start hookmand for the store if none runs. 0, or -1 with err. */
int cli_ensure_sender(struct cli *c, int *started, char *err);

/* Print a JSON value to stdout (pretty, newline-terminated) and drop the
 * reference. Returns EXIT_OK or EXIT_REFUSED on failure. */
int cli_print_json(const struct cli *c, json_t *j);

/* Read an event's data object from a file ("-": standard input). Reports
 * unreadable files, bad JSON (with position) and non-objects; NULL then. */
json_t *cli_read_data(struct cli *c, const char *path);

/* Print text that came from a receiver (a response, its headers, an error
 * that quotes them), each line indented by four spaces, with control
 * characters escaped so that it cannot drive the terminal. max > 0 shows
 * at most max bytes (cut on a character boundary) and says so. */
void cli_print_received(const char *text, size_t max);

/* The same for a one-line text printed in place (no indent, no newline). */
void cli_put_received(const char *text);

/* Append s as one word a POSIX shell reads back as s: as it is when it
 * holds only letters, digits and ._/:@%+=,- (and is not empty), else in
 * single quotes (a quote inside as '\''), for commands a message suggests
 * ('hookman release NAME'). */
void cli_shell_word(struct sbuf *out, const char *s);

/* A count an option takes (--limit, -n): digits only, min..max, into
 * *out. 0, or -1 (nothing written) for anything else; the caller says
 * what the option wants. */
int cli_parse_count(const char *text, long min, long max, long *out);

/* "2026-11-28 09:14:02 UTC" for a store time in ms. */
void cli_format_time(long long ms, char *out, size_t size);

/* Subcommands. argv[0] is the subcommand's name. Each returns an exit
 * status. */
int cmd_events(struct cli *c, int argc, char **argv);
int cmd_list(struct cli *c, int argc, char **argv);
int cmd_show(struct cli *c, int argc, char **argv);
int cmd_add(struct cli *c, int argc, char **argv);
int cmd_edit(struct cli *c, int argc, char **argv);
int cmd_rm(struct cli *c, int argc, char **argv);
int cmd_enable(struct cli *c, int argc, char **argv);
int cmd_disable(struct cli *c, int argc, char **argv);
int cmd_payload(struct cli *c, int argc, char **argv);
int cmd_render(struct cli *c, int argc, char **argv);
int cmd_fire(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_plan(struct cli *c, int argc, char **argv);
int cmd_apply(struct cli *c, int argc, char **argv);
int cmd_sender(struct cli *c, int argc, char **argv);
int cmd_store(struct cli *c, int argc, char **argv);
int cmd_deliveries(struct cli *c, int argc, char **argv);
int cmd_delivery(struct cli *c, int argc, char **argv);
int cmd_redeliver(struct cli *c, int argc, char **argv);
int cmd_tail(struct cli *c, int argc, char **argv);
int cmd_prune(struct cli *c, int argc, char **argv);
int cmd_hold(struct cli *c, int argc, char **argv);
int cmd_release(struct cli *c, int argc, char **argv);
int cmd_rotate_secret(struct cli *c, int argc, char **argv);
int cmd_test(struct cli *c, int argc, char **argv);
int cmd_metrics(struct cli *c, int argc, char **argv);
int cmd_audit(struct cli *c, int argc, char **argv);

#endif
