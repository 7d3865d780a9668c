#include "form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "keys.h"
#include "mask.h"
#include "coalesce.h"
#include "credref.h"
#include "destination.h"
#include "rate.h"
#include "sbuf.h"
#include "rotate.h"
#include "secret.h"

static const char *const labels[FF_COUNT] = {
	"Name", "URL", "Events", "Formatting", "Payload", "Secret", "Headers",
	"Enabled", "Verify TLS", "Timeout (s)", "Rate", "Retries", "Coalesce", "Save", "Test send", "Cancel"
};

const char *form_label(enum form_field ff)
{
	return labels[ff];
}

enum form_field form_field_of(enum webhook_field wf)
{
	static const enum form_field map[WF_COUNT] = {
		FF_NAME, FF_URL, FF_EVENTS, FF_FORMAT, FF_PAYLOAD, FF_SECRET, FF_HEADERS, FF_TIMEOUT,
		FF_RATE, FF_RETRY, FF_COALESCE
	};

	return map[wf];
}

static void check_payload(struct form *f)
{
	char *text = editor_text(&f->payload);

	if (!text)
		return;
	template_check_live(text, strlen(text), &f->verdict, NULL);
	free(text);
}

static void build_rows(struct form *f)
{
	size_t g, k;

	f->nrows = 0;
	for (g = 0; g < catalog_group_count(f->cat) && f->nrows < FORM_ROWS_MAX; g++) {
		const struct catalog_group *grp = catalog_group(f->cat, g);

		if (grp->count > 1)
			f->rows[f->nrows++] = (struct form_row){ g, -1 };
		for (k = 0; k < grp->count && f->nrows < FORM_ROWS_MAX; k++)
			f->rows[f->nrows++] = (struct form_row){ g, (long)(grp->first + k) };
	}
}

/* The rate, retry schedule and coalesce fields, written as the options
 * read them ("none" and "default" when the webhook has none). */
static int set_pace(struct form *f, const struct webhook *wh)
{
	struct sbuf text;
	int rc;

	sbuf_init(&text);
	rate_format(&text, wh ? wh->rate_n : 0, wh ? wh->rate_ms : 0);
	rc = text.failed ? -1 : editor_set(&f->rate, sbuf_text(&text));
	sbuf_release(&text);
	if (rc < 0)
		return -1;
	retry_format_own(&text, wh ? wh->retry_ms : NULL, wh ? wh->nretry : 0);
	rc = text.failed ? -1 : editor_set(&f->retry, sbuf_text(&text));
	sbuf_release(&text);
	if (rc < 0)
		return -1;
	coalesce_format(&text, wh ? wh->coalesce_ms : 0);
	rc = text.failed ? -1 : editor_set(&f->coalesce, sbuf_text(&text));
	sbuf_release(&text);
	return rc;
}

int form_open(struct form *f, const struct catalog *cat, const struct webhook *wh,
	      const char *payload_default, char *err)
{
	char num[16];
	size_t i;

	memset(f, 0, sizeof *f);
	f->cat = cat;
	f->is_new = wh == NULL;
	f->page = 8;
	webhook_init(&f->base);
	editor_init(&f->name, 0, 400);
	editor_init(&f->url, 0, URL_MAX);
	editor_init(&f->payload, 1, TEMPLATE_MAX);
	editor_init(&f->headers, 1, 64 * 1024);
	editor_init(&f->timeout, 0, 8);
	editor_init(&f->rate, 0, 32);
	editor_init(&f->retry, 0, 256);
	editor_init(&f->coalesce, 0, 16);
	f->chosen = calloc(catalog_count(cat) ? catalog_count(cat) : 1, 1);
	if (!f->chosen || (wh && webhook_copy(&f->base, wh, err) < 0))
		goto fail;
	f->format = wh ? wh->format : FORMAT_DEFAULT;
	f->enabled = wh ? wh->enabled : 1;
	f->verify_tls = wh ? wh->verify_tls : 1;
	snprintf(num, sizeof num, "%d", wh ? wh->timeout : TIMEOUT_DEFAULT);
	if (editor_set(&f->name, wh ? wh->name : "") < 0 || editor_set(&f->url, wh ? wh->url : "") < 0 ||
	    editor_set(&f->payload, wh ? wh->payload : payload_default) < 0 ||
	    editor_set(&f->timeout, num) < 0 || set_pace(f, wh) < 0)
		goto oom;
	if (wh && wh->secret && !(f->secret = strdup(wh->secret)))
		goto oom;
	for (i = 0; wh && i < wh->nheaders; i++) {
		if ((i && editor_insert(&f->headers, "\n", 1) < 0) ||
		    editor_insert(&f->headers, wh->headers[i], strlen(wh->headers[i])) < 0)
			goto oom;
	}
	f->headers.row = f->headers.col = 0;
	for (i = 0; wh && i < wh->nevents; i++) {
		long k = catalog_index(cat, wh->events[i]);

		if (k >= 0)
			f->chosen[k] = 1;
	}
	build_rows(f);
	check_payload(f);
	return 0;
oom:
	err_oom(err, "form");
fail:
	form_close(f);
	return -1;
}

void form_close(struct form *f)
{
	editor_free(&f->name);
	editor_free(&f->url);
	editor_free(&f->payload);
	editor_free(&f->headers);
	editor_free(&f->timeout);
	editor_free(&f->rate);
	editor_free(&f->retry);
	editor_free(&f->coalesce);
	webhook_clear(&f->base);
	free(f->secret);
	free(f->chosen);
	free(f->dest_url);
	free(f->dest_payload);
	f->secret = NULL;
	f->chosen = NULL;
	f->dest_url = f->dest_payload = NULL;
}

/* Whether s (owned) is the cached *cached; if not, s replaces it. */
static int same_text(char **cached, char *s)
{
	if (*cached && strcmp(*cached, s) == 0) {
		free(s);
		return 1;
	}
	free(*cached);
	*cached = s;
	return 0;
}

const char *form_destination_warning(struct form *f)
{
	char *url = editor_text(&f->url), *payload, err[ERR_MAX];
	enum destination d = destination_for_url(url);
	const char *nl;
	struct sbuf w;
	long first = -1;
	size_t i;
	int same;

	if (d == DEST_NONE || !f->verdict.ok) {
		free(url);
		f->dest_warning[0] = 0;
		return f->dest_warning;
	}
	payload = editor_text(&f->payload);
	if (!url || !payload) {
		free(url);
		free(payload);
		return f->dest_warning;
	}
	for (i = 0; i < catalog_count(f->cat) && first < 0; i++)
		if (f->chosen[i])
			first = (long)i;
	same = same_text(&f->dest_url, url);
	same &= same_text(&f->dest_payload, payload);
	if (same && f->dest_format == f->format && f->dest_event == first)
		return f->dest_warning;
	f->dest_format = f->format;
	f->dest_event = first;
	f->dest_warning[0] = 0;
	sbuf_init(&w);
	if (destination_check_payload(d, f->cat, first >= 0 ? catalog_event(f->cat, (size_t)first)->id : NULL,
				      f->dest_payload, f->format, &w, err) > 0) {
		nl = strchr(sbuf_text(&w), '\n');
		snprintf(f->dest_warning, sizeof f->dest_warning, "%.*s", (int)(nl - sbuf_text(&w)), sbuf_text(&w));
	}
	sbuf_release(&w);
	return f->dest_warning;
}

static struct editor *text_field(struct form *f)
{
	switch (f->focus) {
	case FF_NAME: return &f->name;
	case FF_URL: return &f->url;
	case FF_PAYLOAD: return &f->payload;
	case FF_HEADERS: return form_headers_masked(f) ? NULL : &f->headers;
	case FF_TIMEOUT: return &f->timeout;
	case FF_RATE: return &f->rate;
	case FF_RETRY: return &f->retry;
	case FF_COALESCE: return &f->coalesce;
	default: return NULL;
	}
}

int form_headers_masked(const struct form *f)
{
	char *text, *line, *nl;
	int masked = 0;

	if (f->headers_shown || editor_size(&f->headers) == 0)
		return 0;
	text = editor_text(&f->headers);
	for (line = text; line && *line && !masked; line = nl ? nl + 1 : line + strlen(line)) {
		char *colon;

		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		colon = strchr(line, ':');
		if (colon) {
			*colon = '\0';
			masked = mask_header_sensitive(line);
		}
	}
	/* Out of memory: mask, never show. */
	if (!text)
		masked = 1;
	free(text);
	return masked;
}

char *form_headers_masked_text(const struct form *f)
{
	char *text = editor_text(&f->headers), *line, *nl;
	struct sbuf out;

	if (!text)
		return NULL;
	sbuf_init(&out);
	for (line = text; *line; line = nl ? nl + 1 : line + strlen(line)) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		mask_header_line(&out, line);
		if (nl)
			sbuf_append(&out, "\n");
	}
	free(text);
	return sbuf_take(&out);
}

void form_focus(struct form *f, enum form_field ff)
{
	if (ff != f->focus) {
		f->secret_shown = 0;
		f->headers_shown = 0;
	}
	f->focus = ff;
}

static void move_focus(struct form *f, int delta)
{
	form_focus(f, (enum form_field)(((int)f->focus + delta + FF_COUNT) % FF_COUNT));
}

int form_row_state(const struct form *f, const struct form_row *r)
{
	const struct catalog_group *g = catalog_group(f->cat, r->group);
	size_t k, n = 0;

	if (r->event >= 0)
		return f->chosen[r->event] ? 2 : 0;
	for (k = 0; k < g->count; k++)
		n += f->chosen[g->first + k] != 0;
	return n == g->count ? 2 : n ? 1 : 0;
}

/* Jira formatting fits only detection events: say why when it cannot be
 * chosen, and fall back when a non-detection event is added. */
static int jira_allowed(const struct form *f)
{
	size_t i;

	for (i = 0; i < catalog_count(f->cat); i++)
		if (f->chosen[i] && !catalog_group(f->cat, catalog_event(f->cat, i)->group)->jira)
			return 0;
	return 1;
}

static void toggle_row(struct form *f)
{
	const struct form_row *r = &f->rows[f->row];
	const struct catalog_group *g = catalog_group(f->cat, r->group);
	int state = form_row_state(f, r);
	size_t k;

	if (r->event >= 0)
		f->chosen[r->event] = !f->chosen[r->event];
	else
		for (k = 0; k < g->count; k++)
			f->chosen[g->first + k] = state != 2;
	f->dirty = 1;
	if (f->format == FORMAT_JIRA && !jira_allowed(f))
		snprintf(f->note, sizeof f->note,
			 "Jira formatting only fits Detection and Detection Group events: choose Default or Slack, or drop the others");
}

static void toggle_all(struct form *f)
{
	size_t i, n = catalog_count(f->cat), on = 0;

	for (i = 0; i < n; i++)
		on += f->chosen[i] != 0;
	memset(f->chosen, on == n ? 0 : 1, n);
	f->dirty = 1;
}

static void cycle_format(struct form *f, int delta)
{
	enum format next = (enum format)(((int)f->format + delta + 3) % 3);

	if (next == FORMAT_JIRA && !jira_allowed(f)) {
		snprintf(f->note, sizeof f->note,
			 "Jira formatting is only for Detection and Detection Group events; the chosen events include others");
		next = (enum format)(((int)next + delta + 3) % 3);
	}
	f->format = next;
	f->dirty = 1;
}

static void secret_key(struct form *f, enum action act)
{
	char s[SECRET_MAX];

	if ((act == A_GENERATE || act == A_ROTATE) && secret_generate(s, NULL) == 0) {
		free(f->secret);
		f->secret = strdup(s);
		f->secret_shown = 1;   /* a new secret is shown once: the receiver needs it */
		f->dirty = 1;
		/* Only a saved secret can keep signing: a new form's or one
		 * generated here never reached a receiver. */
		f->rotated = act == A_ROTATE && f->base.secret;
		if (f->rotated)
			snprintf(f->note, sizeof f->note, "new signing secret: give it to the receiver; after Save the old one keeps signing for 24h");
		else if (act == A_ROTATE)
			snprintf(f->note, sizeof f->note, "no saved secret to keep signing: a new one was generated; give it to the receiver");
		else
			snprintf(f->note, sizeof f->note, "new signing secret generated: give it to the receiver, it is shown until you leave this field");
	} else if (act == A_REVEAL && f->secret) {
		f->secret_shown = !f->secret_shown;
	} else if (act == A_REMOVE && f->secret) {
		free(f->secret);
		f->secret = NULL;
		f->secret_shown = 0;
		f->rotated = 0;
		f->dirty = 1;
	}
}

int form_is_text(const struct form *f)
{
	return text_field((struct form *)f) != NULL;
}

void form_refuse_paste(struct form *f, size_t total)
{
	struct editor *e = text_field(f);

	if (!e)
		return;
	if (e->limit >= 4096)
		snprintf(f->note, sizeof f->note, "%s: a %.0f KiB paste would pass the %.0f KiB limit; nothing was inserted",
			 form_label(f->focus), (double)total / 1024, (double)e->limit / 1024);
	else
		snprintf(f->note, sizeof f->note, "%s: a %zu-byte paste would pass its %zu-byte limit; nothing was inserted",
			 form_label(f->focus), total, e->limit);
}

int form_type(struct form *f, const char *text, size_t n)
{
	struct editor *e = text_field(f);

	if (!e)
		return -1;
	if (e->limit && editor_size(e) + n > e->limit) {
		if (n > 4)
			form_refuse_paste(f, n);
		else
			snprintf(f->note, sizeof f->note, "%s is full: its limit is %zu bytes", form_label(f->focus),
				 e->limit);
		return -1;
	}
	if (editor_insert(e, text, n) < 0) {
		snprintf(f->note, sizeof f->note, "%s: out of memory; nothing was inserted", form_label(f->focus));
		return -1;
	}
	f->dirty = 1;
	f->note[0] = '\0';
	if (!e->multiline && memchr(text, '\n', n))
		snprintf(f->note, sizeof f->note, "%s is one line: the line breaks of the paste were left out",
			 form_label(f->focus));
	if (e == &f->payload)
		check_payload(f);
	return 0;
}

void form_set_payload(struct form *f, const char *text, const enum format *format)
{
	if (editor_set(&f->payload, text) < 0)
		return;
	f->payload.changed = 1;
	if (format)
		f->format = *format;
	f->dirty = 1;
	check_payload(f);
}

void form_apply_preset(struct form *f, const char *name, const char *payload, enum format asked)
{
	char why[ERR_MAX];
	enum format fmt = asked;
	char **events = calloc(catalog_count(f->cat) ? catalog_count(f->cat) : 1, sizeof *events);
	size_t i, n = 0;
	int oom = !events;

	for (i = 0; events && i < catalog_count(f->cat); i++)
		if (f->chosen[i])
			events[n++] = (char *)catalog_event(f->cat, i)->id;
	if (asked == FORMAT_JIRA)
		fmt = oom ? FORMAT_DEFAULT : format_for_preset(asked, f->cat, events, n, why);
	free(events);
	form_set_payload(f, payload, asked == FORMAT_SLACK || fmt == FORMAT_JIRA ? &fmt : NULL);
	f->payload.changed = 0;
	if (asked == FORMAT_JIRA && fmt != FORMAT_JIRA)
		snprintf(f->note, sizeof f->note, "payload filled; %.480s", oom ? "out of memory checking the events" : why);
	else
		snprintf(f->note, sizeof f->note, "payload filled from the %s preset%s", name,
			 fmt == FORMAT_JIRA ? ", with Jira formatting" : "");
}

/* The key context of the focused field, for its own keys. */
static enum context field_context(const struct form *f)
{
	switch (f->focus) {
	case FF_EVENTS: return CTX_FORM_EVENTS;
	case FF_FORMAT: return CTX_FORM_CHOICE;
	case FF_SECRET: return CTX_FORM_SECRET;
	case FF_HEADERS: return CTX_FORM_HEADERS;
	case FF_ENABLED:
	case FF_VERIFY: return CTX_FORM_CHECK;
	case FF_SAVE:
	case FF_TEST:
	case FF_CANCEL: return CTX_FORM_BUTTON;
	default: return CTX_TEXT;
	}
}

/* A key of the focused field's own; 1 when it was one. */
static int field_key(struct form *f, enum action act, enum form_request *req)
{
	switch (act) {
	case A_CHECK:
		if (f->focus == FF_EVENTS) {
			toggle_row(f);
		} else {
			int *flag = f->focus == FF_ENABLED ? &f->enabled : &f->verify_tls;

			*flag = !*flag;
			f->dirty = 1;
		}
		return 1;
	case A_CHECK_ALL:
		toggle_all(f);
		return 1;
	case A_NEXT_CHOICE:
	case A_PREV_CHOICE:
		cycle_format(f, act == A_NEXT_CHOICE ? 1 : -1);
		return 1;
	case A_GENERATE:
	case A_ROTATE:
	case A_REMOVE:
		secret_key(f, act);
		return 1;
	case A_REVEAL:
		if (f->focus == FF_SECRET)
			secret_key(f, act);
		else
			f->headers_shown = 1;
		return 1;
	case A_PRESS:
		*req = f->focus == FF_SAVE ? FORM_SAVE : f->focus == FF_TEST ? FORM_TEST : FORM_CANCEL;
		return 1;
	case A_UP:
		if (f->focus == FF_EVENTS && f->row > 0) {
			f->row--;
			return 1;
		}
		return 0;
	case A_DOWN:
		if (f->focus == FF_EVENTS && f->row + 1 < f->nrows) {
			f->row++;
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

enum form_request form_key(struct form *f, int key)
{
	enum form_request req = FORM_NONE;
	struct editor *e = text_field(f);

	switch (keys_action(CTX_FORM, key)) {
	case A_SAVE: return FORM_SAVE;
	case A_CANCEL: return FORM_CANCEL;
	case A_PREVIEW: return FORM_PREVIEW;
	case A_PRESET: return FORM_PRESET;
	case A_HELP: return FORM_HELP;
	case A_MESSAGES: return FORM_MESSAGES;
	case A_TEST: return FORM_TEST;
	case A_EDITOR: return FORM_EDITOR;
	case A_NEXT_FIELD: move_focus(f, 1); return FORM_NONE;
	case A_PREV_FIELD: move_focus(f, -1); return FORM_NONE;
	default: break;
	}
	if (field_key(f, keys_action(field_context(f), key), &req))
		return req;
	if (e) {
		/* Whether this key edited the text (not only moved), whatever
		 * the key: the flag is sticky, so it is cleared and put back. */
		int was = e->changed, used;

		e->changed = 0;
		used = editor_key(e, key, f->page);
		if (e->changed) {
			f->dirty = 1;
			if (e == &f->payload)
				check_payload(f);
		}
		e->changed |= was;
		if (used)
			return FORM_NONE;
	}
	/* Masked headers are read-only until revealed, so a masked value is
	 * never edited (nor saved) by mistake. */
	if (f->focus == FF_HEADERS && form_headers_masked(f) &&
	    ((key >= 0x20 && key < 0x110000) || key == HK_BACKSPACE || key == HK_DELETE)) {
		snprintf(f->note, sizeof f->note, "the headers hold a credential: press r to reveal them before editing");
		return FORM_NONE;
	}
	/* Tab goes round; the arrows stop at the first and last field. */
	if (key == HK_UP && f->focus > 0)
		move_focus(f, -1);
	else if ((key == HK_DOWN || key == HK_ENTER) && f->focus + 1 < FF_COUNT)
		move_focus(f, 1);
	return FORM_NONE;
}

static void add_problem(struct form *f, enum webhook_field wf, const char *msg)
{
	if (f->nproblems < WF_COUNT) {
		f->problems[f->nproblems].field = wf;
		snprintf(f->problems[f->nproblems].msg, sizeof f->problems[f->nproblems].msg, "%s", msg);
		f->nproblems++;
	}
}

/* The problems in the form's order, as the operator reads the fields. */
static void sort_problems(struct form *f)
{
	size_t i, j;

	for (i = 1; i < f->nproblems; i++)
		for (j = i; j > 0 && form_field_of(f->problems[j].field) < form_field_of(f->problems[j - 1].field); j--) {
			struct webhook_problem t = f->problems[j];

			f->problems[j] = f->problems[j - 1];
			f->problems[j - 1] = t;
		}
}

size_t form_build(struct form *f, struct webhook *out)
{
	struct webhook_problem probs[WF_COUNT];
	char err[ERR_MAX], *headers = NULL, *p, *nl;
	size_t i, n, k;

	f->nproblems = 0;
	webhook_init(out);
	out->id = f->base.id;
	out->version = f->base.version;
	out->name = editor_text(&f->name);
	out->url = editor_text(&f->url);
	out->payload = editor_text(&f->payload);
	out->secret = f->secret ? strdup(f->secret) : NULL;
	/* The previous secret as rotate_secret leaves it: after R the saved
	 * one, for the default grace from this save; otherwise the one still
	 * in its grace, kept, unless the webhook no longer signs at all. */
	if (f->rotated) {
		out->secret_previous = strdup(f->base.secret);
		out->secret_previous_until = store_now_ms() + ROTATE_GRACE_DEFAULT_MS;
	} else if (f->secret && f->base.secret_previous) {
		out->secret_previous = strdup(f->base.secret_previous);
		out->secret_previous_until = f->base.secret_previous_until;
	}
	out->format = f->format;
	out->enabled = f->enabled;
	out->verify_tls = f->verify_tls;
	out->events = calloc(catalog_count(f->cat) ? catalog_count(f->cat) : 1, sizeof *out->events);
	for (i = 0; out->events && i < catalog_count(f->cat); i++)
		if (f->chosen[i])
			out->events[out->nevents++] = strdup(catalog_event(f->cat, i)->id);
	headers = editor_text(&f->headers);
	for (p = headers; p && *p; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (strspn(p, " \t") == strlen(p))
			continue;
		if (webhook_add_header(out, p, err) < 0) {
			add_problem(f, WF_HEADERS, err);
			break;
		}
	}
	free(headers);
	p = editor_text(&f->timeout);
	if (!p)
		add_problem(f, WF_TIMEOUT, "out of memory reading the timeout");
	else if (duration_parse_timeout(p, &out->timeout, err) < 0)
		add_problem(f, WF_TIMEOUT, err);
	free(p);
	p = editor_text(&f->rate);
	if (!p)
		add_problem(f, WF_RATE, "out of memory reading the rate");
	else if (rate_parse(*p ? p : "none", &out->rate_n, &out->rate_ms, err) < 0)
		add_problem(f, WF_RATE, err);
	free(p);
	p = editor_text(&f->retry);
	if (!p)
		add_problem(f, WF_RETRY, "out of memory reading the retry schedule");
	else if (retry_parse_own(*p ? p : "default", out->retry_ms, &out->nretry, err) < 0)
		add_problem(f, WF_RETRY, err);
	free(p);
	p = editor_text(&f->coalesce);
	if (!p)
		add_problem(f, WF_COALESCE, "out of memory reading the coalesce window");
	else if (coalesce_parse(*p ? p : "none", &out->coalesce_ms, err) < 0)
		add_problem(f, WF_COALESCE, err);
	free(p);
	if (credref_keep(out, &f->base, err) < 0)
		add_problem(f, WF_SECRET, err);
	n = webhook_validate(out, f->cat, probs, WF_COUNT);
	for (k = 0; k < n && k < WF_COUNT; k++) {
		int seen = 0;

		for (i = 0; i < f->nproblems; i++)
			seen |= f->problems[i].field == probs[k].field;
		if (!seen)
			add_problem(f, probs[k].field, probs[k].msg);
	}
	sort_problems(f);
	if (f->nproblems) {
		enum form_field first = FF_COUNT;

		for (i = 0; i < f->nproblems; i++)
			if (form_field_of(f->problems[i].field) < first)
				first = form_field_of(f->problems[i].field);
		form_focus(f, first);
	}
	return f->nproblems;
}
