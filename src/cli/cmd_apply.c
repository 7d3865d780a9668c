/* plan and apply: a file of webhooks (an export) as the desired state. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "plan.h"
#include "readfile.h"
#include "transfer.h"

static void report(void *ctx, const char *msg)
{
	cli_fail(ctx, "%s", msg);
}

/* What the command was given and what it found. */
struct run {
	const char *file;               /* as given; "-": standard input */
	const char *shown;              /* as messages name it */
	int apply, prune;
	struct webhook *want, *have;
	size_t nwant, nhave;
	struct plan plan;
	struct store_backlog *backlog;  /* per item: a removal's deliveries */
};

static const char *action_sign(enum plan_action a)
{
	return a == PLAN_ADD ? "+" : a == PLAN_CHANGE ? "~" : "-";
}

static const char *action_word(enum plan_action a)
{
	return a == PLAN_ADD ? "add" : a == PLAN_CHANGE ? "change" : "remove";
}

static const char *item_name(const struct plan_item *it)
{
	return it->want ? it->want->name : it->have->name;
}

static void print_events(const struct webhook *wh)
{
	size_t i;

	printf("    events: ");
	for (i = 0; i < wh->nevents; i++)
		printf("%s%s", i ? "," : "", wh->events[i]);
	printf("\n");
}

static void print_text(const struct run *r)
{
	const struct plan *p = &r->plan;
	size_t i, k;

	for (i = 0; i < p->n; i++) {
		const struct plan_item *it = &p->items[i];
		char *what;

		printf("%s %s\n", action_sign(it->action), item_name(it));
		if (it->action == PLAN_CHANGE)
			for (k = 0; k < it->nfields; k++)
				printf("    %s: %s → %s\n", it->fields[k].field, it->fields[k].before, it->fields[k].after);
		if (it->action == PLAN_ADD) {
			printf("    url: %s\n", it->url);
			print_events(it->want);
		}
		if (it->action == PLAN_REMOVE) {
			printf("    url: %s\n", it->url);
			if (r->apply) {
				what = store_backlog_text(&r->backlog[i]);
				printf("    %s\n", what ? what : "(out of memory describing its deliveries)");
				free(what);
			} else {
				printf("    %lld waiting deliver%s would be cancelled\n", r->backlog[i].waiting,
				       r->backlog[i].waiting == 1 ? "y" : "ies");
			}
		}
	}
	if (p->n == 0)
		printf("No changes: the store matches %s.\n", r->shown);
	else if (r->apply)
		printf("Applied: %zu added, %zu changed, %zu removed.\n", p->add, p->change, p->remove);
	else
		printf("Plan: %zu to add, %zu to change, %zu to remove.\n", p->add, p->change, p->remove);
	if (p->unmanaged)
		printf("%zu webhook%s in the store %s not in %s; --prune removes %s.\n", p->unmanaged,
		       p->unmanaged == 1 ? "" : "s", p->unmanaged == 1 ? "is" : "are", r->shown,
		       p->unmanaged == 1 ? "it" : "them");
}

static json_t *item_json(const struct run *r, size_t i)
{
	const struct plan_item *it = &r->plan.items[i];
	json_t *o = json_pack("{s:s, s:s}", "name", item_name(it), "action", action_word(it->action)), *fields;
	size_t k;

	if (!o)
		return NULL;
	if (it->url)
		json_object_set_new(o, "url", json_string(it->url));
	if (it->action == PLAN_REMOVE) {
		json_object_set_new(o, "cancels", json_integer(r->backlog[i].waiting));
		if (r->apply)
			json_object_set_new(o, "in_flight", json_integer(r->backlog[i].inflight));
	}
	if (it->action != PLAN_CHANGE)
		return o;
	fields = json_array();
	for (k = 0; fields && k < it->nfields; k++)
		json_array_append_new(fields, json_pack("{s:s, s:s, s:s}", "field", it->fields[k].field, "before",
							it->fields[k].before, "after", it->fields[k].after));
	json_object_set_new(o, "changes", fields);
	return o;
}

static int print_json(const struct cli *c, const struct run *r)
{
	json_t *items = json_array();
	size_t i;

	for (i = 0; items && i < r->plan.n; i++)
		json_array_append_new(items, item_json(r, i));
	return cli_print_json(c, json_pack("{s:o, s:I, s:I, s:I, s:I, s:b, s:b}", "webhooks", items,
					   "add", (json_int_t)r->plan.add, "change", (json_int_t)r->plan.change,
					   "remove", (json_int_t)r->plan.remove, "not_in_file",
					   (json_int_t)r->plan.unmanaged, "changed", r->plan.n > 0, "applied", r->apply));
}

/* Write every item of the plan (inside the caller's transaction). 0, or
 * -1 with err naming the webhook. */
static int write_plan(struct cli *c, struct run *r, char *err)
{
	size_t i;

	for (i = 0; i < r->plan.n; i++) {
		struct plan_item *it = &r->plan.items[i];
		struct webhook target;
		int rc;

		if (it->action == PLAN_REMOVE) {
			rc = store_webhook_delete(c->st, it->have->name, &r->backlog[i], err);
		} else {
			rc = plan_target(it, &target, err);
			if (rc == 0)
				rc = it->action == PLAN_ADD ? store_webhook_insert(c->st, &target, err) :
				     store_webhook_update(c->st, &target, err);
			webhook_clear(&target);
		}
		if (rc < 0) {
			err_prefix(err, "\"%s\"", item_name(it));
			return -1;
		}
	}
	return 0;
}

/* Read the store and compute the plan; in the caller's transaction for
 * apply. 0, or -1 with err. */
static int compute(struct cli *c, struct run *r, char *err)
{
	size_t i;

	if (store_webhook_list(c->st, &r->have, &r->nhave, err) < 0 ||
	    plan_compute(&r->plan, r->want, r->nwant, r->have, r->nhave, r->prune, err) < 0)
		return -1;
	r->backlog = calloc(r->plan.n ? r->plan.n : 1, sizeof *r->backlog);
	if (!r->backlog) {
		err_oom(err, "plan");
		return -1;
	}
	for (i = 0; !r->apply && i < r->plan.n; i++)
		if (r->plan.items[i].action == PLAN_REMOVE &&
		    store_webhook_pending(c->st, r->plan.items[i].have->id, &r->backlog[i], err) < 0)
			return -1;
	return 0;
}

static int run(struct cli *c, int argc, char **argv, int apply)
{
	static const struct option opts[] = { { "prune", no_argument, NULL, 'p' }, { NULL, 0, NULL, 0 } };
	struct run r = { .apply = apply };
	char err[ERR_MAX], *text, *base;
	size_t len;
	int opt, rc = EXIT_REFUSED;

	while ((opt = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (opt != 'p')
			return EXIT_USAGE;
		r.prune = 1;
	}
	if (argc - optind != 1)
		return cli_usage(c, "give the FILE to %s (an export; - for standard input)", apply ? "apply" : "plan");
	r.file = argv[optind];
	r.shown = strcmp(r.file, "-") == 0 ? "standard input" : r.file;
	if (cli_catalog(c) < 0 || cli_store(c) < 0)
		return EXIT_REFUSED;
	actor_set_via(&c->audit.who, "apply");
	text = readfile(r.file, &len, 1, err);
	if (!text)
		return cli_fail(c, "%s", err);
	base = readfile_dir(r.file);
	if (!base) {
		free(text);
		return cli_fail(c, "cannot resolve the directory of %s, where its relative file references are: %s",
				r.shown, strerror(errno));
	}
	rc = transfer_parse(text, len, r.shown, base, c->cat, &r.want, &r.nwant, report, c, err);
	free(base);
	free(text);
	if (rc < 0)
		return cli_fail(c, "%s; nothing was %s", err, apply ? "written" : "compared");
	rc = EXIT_REFUSED;
	/* apply holds the write lock from its read of the store to its last
	 * write: what it writes is the plan it computed. */
	if (apply && store_begin(c->st, err) < 0) {
		cli_fail(c, "%s; nothing was written", err);
		goto out;
	}
	if (compute(c, &r, err) < 0 || (apply && write_plan(c, &r, err) < 0) ||
	    (apply && store_commit(c->st, err) < 0)) {
		if (!apply)
			cli_fail(c, "%s", err);
		else if (err_kind(err) == ERR_CONFLICT || err_kind(err) == ERR_NOT_FOUND)
			cli_fail(c, "the store changed while apply wrote it (%s); nothing was written: run plan and apply again",
				 err);
		else
			cli_fail(c, "%s; nothing was written", err);
		if (apply)
			store_rollback(c->st);
		goto out;
	}
	if (apply && r.plan.n)
		cli_wake(c);
	if (c->json) {
		rc = print_json(c, &r);
	} else {
		print_text(&r);
		rc = EXIT_OK;
	}
	if (rc == EXIT_OK && !apply && r.plan.n)
		rc = EXIT_DIFFERS;
out:
	plan_free(&r.plan);
	free(r.backlog);
	transfer_free(r.want, r.nwant);
	store_webhook_list_free(r.have, r.nhave);
	return rc;
}

int cmd_plan(struct cli *c, int argc, char **argv)
{
	return run(c, argc, argv, 0);
}

int cmd_apply(struct cli *c, int argc, char **argv)
{
	return run(c, argc, argv, 1);
}
