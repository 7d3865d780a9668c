/* Credential references (credref) and the plan model (plan): what apply
 * resolves, and what it would change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "credref.h"
#include "plan.h"
#include "testutil.h"
#include "transfer.h"

static char dir[512];

static void setup(void)
{
	snprintf(dir, sizeof dir, "%s", tu_tmpdir());
	unsetenv("CREDENTIALS_DIRECTORY");
}

static void teardown(void)
{
	tu_rmtree(dir);
}

/* Write bytes[0..len) to dir/name. */
static void put(const char *name, const char *bytes, size_t len)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
	fclose(f);
}

/* Resolve the reference written as text; the value, or NULL with err. */
static char *resolve(const char *text, const char *base, char **stored, char *err)
{
	json_t *ref = json_loads(text, 0, NULL), *keep = NULL;
	char *v;

	ck_assert_ptr_nonnull(ref);
	v = credref_resolve(ref, base, stored ? &keep : NULL, err);
	if (stored)
		*stored = keep ? json_dumps(keep, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(keep);
	json_decref(ref);
	return v;
}

/* The reference is refused, with every word of want in the message. */
static void refused(const char *text, const char *const *want)
{
	char err[ERR_MAX], *v = resolve(text, dir, NULL, err);

	ck_assert_msg(v == NULL, "%s resolved to %s", text, v ? v : "");
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	for (; *want; want++)
		ck_assert_msg(strstr(err, *want), "%s: \"%s\" lacks \"%s\"", text, err, *want);
}

START_TEST(env_reference)
{
	char err[ERR_MAX], *stored, *v;

	setenv("HM_TEST_URL", "https://hooks.slack.com/services/T1/B1/abc", 1);
	v = resolve("{\"env\": \"HM_TEST_URL\"}", dir, &stored, err);
	ck_assert_str_eq(v, "https://hooks.slack.com/services/T1/B1/abc");
	ck_assert_str_eq(stored, "{\"env\":\"HM_TEST_URL\"}");
	free(v);
	free(stored);
	unsetenv("HM_TEST_URL");
	refused("{\"env\": \"HM_TEST_URL\"}", (const char *const[]){ "HM_TEST_URL", "not set", "set it", NULL });
	setenv("HM_TEST_URL", "", 1);
	refused("{\"env\": \"HM_TEST_URL\"}", (const char *const[]){ "HM_TEST_URL", "empty", NULL });
	unsetenv("HM_TEST_URL");
	refused("{\"env\": \"A-B\"}", (const char *const[]){ "\"A-B\"", "not an environment variable name", NULL });
}
END_TEST

START_TEST(file_reference)
{
	char err[ERR_MAX], want[1024], *stored, *v;

	put("token", "Bearer abc\n", 11);
	v = resolve("{\"file\": \"token\"}", dir, &stored, err);
	ck_assert_msg(v != NULL, "%s", err);
	/* One trailing newline is the file's end, not the value's. */
	ck_assert_str_eq(v, "Bearer abc");
	/* A relative path is kept made absolute: later it is read from
	 * wherever hookman runs. */
	snprintf(want, sizeof want, "{\"file\":\"%s/token\"}", dir);
	ck_assert_str_eq(stored, want);
	free(v);
	free(stored);
	snprintf(want, sizeof want, "{\"file\": \"%s/token\"}", dir);
	v = resolve(want, NULL, NULL, err);
	ck_assert_str_eq(v, "Bearer abc");
	free(v);
}
END_TEST

START_TEST(credentials_directory)
{
	char err[ERR_MAX], *stored, *v;

	refused("{\"file\": \"$CREDENTIALS_DIRECTORY/secret\"}",
		(const char *const[]){ "$CREDENTIALS_DIRECTORY/secret", "not set", "LoadCredential=", NULL });
	put("secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", 38);
	setenv("CREDENTIALS_DIRECTORY", dir, 1);
	v = resolve("{\"file\": \"$CREDENTIALS_DIRECTORY/secret\"}", "/nowhere", &stored, err);
	ck_assert_msg(v != NULL, "%s", err);
	ck_assert_str_eq(v, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
	/* The directory differs from one service run to the next: kept as
	 * written. */
	ck_assert_str_eq(stored, "{\"file\":\"$CREDENTIALS_DIRECTORY/secret\"}");
	free(v);
	free(stored);
	/* Written as systemd's documentation writes it. */
	v = resolve("{\"file\": \"${CREDENTIALS_DIRECTORY}/secret\"}", "/nowhere", &stored, err);
	ck_assert_msg(v != NULL, "%s", err);
	ck_assert_str_eq(v, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
	ck_assert_str_eq(stored, "{\"file\":\"${CREDENTIALS_DIRECTORY}/secret\"}");
	free(v);
	free(stored);
}
END_TEST

START_TEST(file_refusals)
{
	char big[CREDREF_FILE_MAX + 1];

	refused("{\"file\": \"missing\"}", (const char *const[]){ "missing", "No such file", "check the path", NULL });
	put("empty", "\n", 1);
	refused("{\"file\": \"empty\"}", (const char *const[]){ "empty is empty", "write the value", NULL });
	memset(big, 'a', sizeof big);
	put("big", big, sizeof big);
	refused("{\"file\": \"big\"}", (const char *const[]){ "big is over 64 KiB", NULL });
	put("latin1", "caf\xe9", 4);
	refused("{\"file\": \"latin1\"}", (const char *const[]){ "latin1 is not UTF-8", "offset 3", NULL });
	put("two", "line1\nline2\n", 12);
	refused("{\"file\": \"two\"}", (const char *const[]){ "two holds a control character (U+000A)", "one line", NULL });
	put("esc", "a\x1b[31m", 6);
	refused("{\"file\": \"esc\"}", (const char *const[]){ "U+001B", NULL });
	refused("{\"file\": \".\"}", (const char *const[]){ "not a regular file", NULL });
	refused("{\"file\": \"\"}", (const char *const[]){ "file reference is empty", NULL });
	refused("{\"env\": \"A\", \"file\": \"B\"}", (const char *const[]){ "{\"env\": \"NAME\"} or {\"file\": \"PATH\"}", NULL });
	refused("{\"env\": 1}", (const char *const[]){ "{\"env\": \"NAME\"}", NULL });
}
END_TEST

static void fill(struct webhook *wh, const char *name, const char *url, const char *secret)
{
	webhook_init(wh);
	wh->name = strdup(name);
	wh->url = strdup(url);
	wh->secret = secret ? strdup(secret) : NULL;
	wh->payload = strdup("{\"t\": \"$Title\", \"m\": \"$Event\"}");
	wh->events = calloc(1, sizeof *wh->events);
	wh->events[0] = strdup("alarm.high_severity");
	wh->nevents = 1;
}

START_TEST(keep_rule)
{
	struct webhook before, after;
	char err[ERR_MAX];

	fill(&before, "a", "https://x.example/1", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
	ck_assert_int_eq(webhook_add_header(&before, "Authorization: Bearer 1", err), 0);
	before.refs = strdup("{\"headers\":{\"authorization\":{\"env\":\"T\"}},\"secret\":{\"env\":\"S\"},\"url\":{\"env\":\"U\"}}");
	ck_assert_int_eq(webhook_copy(&after, &before, err), 0);
	ck_assert_int_eq(credref_keep(&after, &before, err), 0);
	ck_assert_str_eq(after.refs, before.refs);
	/* A new URL no longer comes from U; the rest still comes from theirs. */
	free(after.url);
	after.url = strdup("https://x.example/2");
	ck_assert_int_eq(credref_keep(&after, &before, err), 0);
	ck_assert_str_eq(after.refs, "{\"headers\":{\"authorization\":{\"env\":\"T\"}},\"secret\":{\"env\":\"S\"}}");
	/* A second header of the name (edit --header): whose value is it?
	 * The reference goes, so that an export never writes it in place of
	 * a plain credential (the review found that). */
	ck_assert_int_eq(webhook_add_header(&after, "Authorization: Bearer plain", err), 0);
	ck_assert_int_eq(credref_keep(&after, &before, err), 0);
	ck_assert_str_eq(after.refs, "{\"secret\":{\"env\":\"S\"}}");
	free(after.headers[--after.nheaders]);
	free(after.headers[0]);
	after.headers[0] = strdup("Authorization: Bearer 2");
	free(after.secret);
	after.secret = NULL;
	ck_assert_int_eq(credref_keep(&after, &before, err), 0);
	ck_assert_ptr_null(after.refs);
	webhook_clear(&before);
	webhook_clear(&after);
}
END_TEST

static const struct plan_item *find(const struct plan *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->items[i].want ? p->items[i].want->name : p->items[i].have->name, name) == 0)
			return &p->items[i];
	return NULL;
}

START_TEST(plan_model)
{
	struct webhook have[3], want[3], target;
	struct plan p;
	char err[ERR_MAX];
	const struct plan_item *it;

	fill(&have[0], "alpha", "https://x.example/a", NULL);
	fill(&have[1], "Bravo", "https://x.example/b", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
	fill(&have[2], "charlie", "https://x.example/c", NULL);
	have[1].id = 7;
	have[1].version = 4;
	fill(&want[0], "delta", "https://hooks.slack.com/services/T0001/B0001/SECRETPART", NULL);
	fill(&want[1], "bravo", "https://x.example/b", "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAwxyz");
	fill(&want[2], "ALPHA", "https://x.example/a", NULL);
	free(want[2].name);
	want[2].name = strdup("alpha");

	ck_assert_int_eq(plan_compute(&p, want, 3, have, 3, 0, err), 0);
	/* alpha is the same (matched ignoring case): not in the plan. */
	ck_assert_uint_eq(p.n, 2);
	ck_assert_uint_eq(p.add, 1);
	ck_assert_uint_eq(p.change, 1);
	ck_assert_uint_eq(p.remove, 0);
	ck_assert_uint_eq(p.unmanaged, 1);
	ck_assert_str_eq(p.items[0].want->name, "bravo");
	ck_assert_str_eq(p.items[1].want->name, "delta");
	it = find(&p, "delta");
	ck_assert_int_eq(it->action, PLAN_ADD);
	ck_assert_str_eq(it->url, "https://hooks.slack.com/services/T0…/****");
	it = find(&p, "bravo");
	ck_assert_int_eq(it->action, PLAN_CHANGE);
	ck_assert_uint_eq(it->nfields, 2);
	ck_assert_str_eq(it->fields[0].field, "name");
	ck_assert_str_eq(it->fields[0].before, "Bravo");
	ck_assert_str_eq(it->fields[0].after, "bravo");
	ck_assert_str_eq(it->fields[1].field, "secret");
	ck_assert_str_eq(it->fields[1].before, "whsec_****LaSw");
	ck_assert_str_eq(it->fields[1].after, "whsec_****wxyz");
	ck_assert_int_eq(plan_target(it, &target, err), 0);
	ck_assert_int_eq(target.id, 7);
	ck_assert_int_eq(target.version, 4);
	ck_assert_str_eq(target.secret, "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAwxyz");
	webhook_clear(&target);
	plan_free(&p);

	ck_assert_int_eq(plan_compute(&p, want, 3, have, 3, 1, err), 0);
	ck_assert_uint_eq(p.n, 3);
	ck_assert_uint_eq(p.remove, 1);
	ck_assert_uint_eq(p.unmanaged, 0);
	ck_assert_str_eq(p.items[1].have->name, "charlie");
	ck_assert_int_eq(p.items[1].action, PLAN_REMOVE);
	plan_free(&p);

	/* Nothing but where the secret comes from: a change of its source. */
	ck_assert_int_eq(plan_compute(&p, want + 1, 1, want + 1, 1, 0, err), 0);
	ck_assert_uint_eq(p.n, 0);
	plan_free(&p);
	ck_assert_int_eq(webhook_copy(&target, &want[1], err), 0);
	target.refs = strdup("{\"secret\":{\"env\":\"OLD\"}}");
	want[1].refs = strdup("{\"secret\":{\"file\":\"/run/credentials/x/secret\"}}");
	ck_assert_int_eq(plan_compute(&p, want + 1, 1, &target, 1, 0, err), 0);
	ck_assert_uint_eq(p.change, 1);
	ck_assert_uint_eq(p.items[0].nfields, 1);
	ck_assert_str_eq(p.items[0].fields[0].before, "whsec_****wxyz (from env OLD)");
	ck_assert_str_eq(p.items[0].fields[0].after, "whsec_****wxyz (from file /run/credentials/x/secret)");
	plan_free(&p);
	webhook_clear(&target);

	/* Two URLs that mask alike are still two values. */
	ck_assert_int_eq(webhook_copy(&target, &want[0], err), 0);
	free(target.url);
	target.url = strdup("https://hooks.slack.com/services/T0001/B0001/OTHERPART");
	ck_assert_int_eq(plan_compute(&p, want, 1, &target, 1, 0, err), 0);
	ck_assert_uint_eq(p.items[0].nfields, 1);
	ck_assert_str_eq(p.items[0].fields[0].before, "https://hooks.slack.com/services/T0…/****");
	ck_assert_str_eq(p.items[0].fields[0].after, "https://hooks.slack.com/services/T0…/**** (another value)");
	plan_free(&p);
	webhook_clear(&target);
	for (int i = 0; i < 3; i++) {
		webhook_clear(&have[i]);
		webhook_clear(&want[i]);
	}
}
END_TEST

static void collect(void *ctx, const char *msg)
{
	snprintf(ctx, ERR_MAX, "%s", msg);
}

START_TEST(transfer_refs)
{
	struct catalog *cat = tu_catalog();
	struct webhook *list;
	char err[ERR_MAX], last[ERR_MAX] = "", *text;
	size_t n;
	const char *doc =
		"{\"hookman_export\": 1, \"webhooks\": [{\"name\": \"ops\", \"url\": {\"env\": \"HM_URL\"},"
		" \"events\": [\"alarm.high_severity\"], \"payload\": \"{\\\"t\\\": \\\"$Title\\\", \\\"m\\\": \\\"$Event\\\"}\","
		" \"secret\": {\"file\": \"sec\"},"
		" \"headers\": [{\"name\": \"Authorization\", \"value\": {\"env\": \"HM_TOKEN\"}},"
		" {\"name\": \"X-Env\", \"value\": \"prod\"}]}]}";

	put("sec", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n", 39);
	setenv("HM_URL", "https://x.example/hook", 1);
	unsetenv("HM_TOKEN");
	ck_assert_int_eq(transfer_parse(doc, strlen(doc), "in.json", dir, cat, &list, &n, collect, last, err), -1);
	ck_assert_str_eq(last, "entry 1 (\"ops\"): header \"Authorization\": environment variable HM_TOKEN is not set; set it to the value before running hookman");
	setenv("HM_TOKEN", "Bearer 0123456789abcdef", 1);
	ck_assert_msg(transfer_parse(doc, strlen(doc), "in.json", dir, cat, &list, &n, collect, last, err) == 0, "%s", last);
	ck_assert_str_eq(list[0].url, "https://x.example/hook");
	ck_assert_str_eq(list[0].secret, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
	ck_assert_str_eq(list[0].headers[0], "Authorization: Bearer 0123456789abcdef");
	ck_assert_str_eq(list[0].headers[1], "X-Env: prod");
	ck_assert_ptr_nonnull(strstr(list[0].refs, "\"Authorization\":{\"env\":\"HM_TOKEN\"}"));
	/* The export writes where each value comes from, never the value. */
	text = transfer_export(list, n, 1, err);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_null(strstr(text, "x.example"));
	ck_assert_ptr_null(strstr(text, "0123456789abcdef"));
	ck_assert_ptr_null(strstr(text, "LaLaSw"));
	ck_assert_ptr_nonnull(strstr(text, "\"env\": \"HM_URL\""));
	ck_assert_ptr_nonnull(strstr(text, "\"value\": {\n            \"env\": \"HM_TOKEN\""));
	ck_assert_ptr_nonnull(strstr(text, "\"X-Env: prod\""));
	free(text);
	transfer_free(list, n);
	unsetenv("HM_URL");
	unsetenv("HM_TOKEN");
	catalog_free(cat);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("plan");
	TCase *refs = tcase_create("references"), *plan = tcase_create("plan");

	tcase_add_checked_fixture(refs, setup, teardown);
	tcase_add_test(refs, env_reference);
	tcase_add_test(refs, file_reference);
	tcase_add_test(refs, credentials_directory);
	tcase_add_test(refs, file_refusals);
	tcase_add_test(refs, keep_rule);
	tcase_add_test(refs, transfer_refs);
	tcase_add_test(plan, plan_model);
	suite_add_tcase(s, refs);
	suite_add_tcase(s, plan);
	return tu_run(s);
}
