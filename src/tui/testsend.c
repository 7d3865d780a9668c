#include "testsend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "fanout.h"
#include "mask.h"
#include "sbuf.h"
#include "ui.h"
#include "webhook.h"

void testsend_init(struct testsend *t)
{
	memset(t, 0, sizeof *t);
	t->p.fd = -1;
}

void testsend_free(struct testsend *t)
{
	control_cancel(&t->p);
	free(t->what);
	testsend_init(t);
}

static void progress(struct testsend *t, struct ui *ui)
{
	static const char *const spin[] = { "⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏" };
	long long el = ui_now_ms() - t->started;
	struct sbuf text;

	sbuf_init(&text);
	sbuf_appendf(&text, "%s\n\n%s waiting for the answer… %lld.%lld s\n\nEsc stops waiting", t->what,
		     spin[(el / 100) % 10], el / 1000, el % 1000 / 100);
	if (!text.failed)
		dialog_set_text(&ui->dlg, sbuf_text(&text));
	sbuf_release(&text);
}

/* The reason phrase of the response's status line ("OK"), or "". */
static void reason_phrase(const char *rh, struct sbuf *out)
{
	const char *sp;

	if (!rh || strncmp(rh, "HTTP/", 5) != 0 || !(sp = strchr(rh, ' ')) || !(sp = strchr(sp + 1, ' ')))
		return;
	sbuf_append(out, " ");
	sbuf_appendn(out, sp + 1, strcspn(sp + 1, "\r\n"));
}

static void result(struct testsend *t, struct ui *ui, const struct control_test_result *r)
{
	struct sbuf text;

	sbuf_init(&text);
	if (r->has_status) {
		sbuf_appendf(&text, "%s HTTP %ld", r->status / 100 == 2 ? "✓" : "✗", r->status);
		reason_phrase(r->response_headers, &text);
		sbuf_appendf(&text, " in %lld ms\n", r->duration_ms);
	}
	if (r->error)
		sbuf_appendf(&text, "%s%s\n", r->has_status ? "" : "✗ ", r->error);
	sbuf_appendf(&text, "%s\n\n%s\n%s", t->what,
		     r->has_status ? "Request headers sent:" : "Request headers (the request did not get through):",
		     r->request_headers ? r->request_headers : "");
	/* hookmand sends the first 4 KiB of the response: shown whole. */
	if (r->has_status)
		sbuf_appendf(&text, "\nResponse (%lld bytes):\n%s", r->response_size,
			     r->response_body ? r->response_body : "");
	ui_show(ui, "Test send (Esc closes)", text.failed ? "out of memory showing the result" : sbuf_text(&text));
	sbuf_release(&text);
}

static void begin(struct testsend *t, struct ui *ui, struct screen *owner, int rc, const char *err)
{
	if (rc < 0) {
		ui_show(ui, "Test send", err);
		return;
	}
	t->started = ui_now_ms();
	ui->busy = 1;
	ui_ask(ui, owner, DIALOG_TEXT, TESTSEND_ASK_WAIT, "Test send", "");
	progress(t, ui);
}

/* "The sample T event …" and the masked URL under it, for both dialogs. */
static void describe(struct testsend *t, struct sbuf *what, const char *url)
{
	char masked[URL_MAX + 64];

	mask_url(url, masked, sizeof masked);
	sbuf_appendf(what, "\n%s", masked);
	free(t->what);
	t->what = sbuf_take(what);
}

void testsend_webhook(struct testsend *t, struct ui *ui, struct screen *owner, const struct webhook *wh)
{
	struct event ev;
	struct sbuf what;
	char err[ERR_MAX];
	long long id;

	if (ui_sender_ready(ui, err) < 0) {
		ui_show(ui, "Test send", err);
		return;
	}
	if (event_init(&ev, ui->cat, wh->events[0], NULL, NULL, err) < 0) {
		ui_show(ui, "Test send", err);
		return;
	}
	if (fanout_test(ui->st, wh, &ev, &id, err) < 0) {
		event_clear(&ev);
		ui_show(ui, "Test send", err);
		return;
	}
	sbuf_init(&what);
	sbuf_appendf(&what, "The sample %s event to \"%s\"", ev.type, wh->name);
	describe(t, &what, wh->url);
	event_clear(&ev);
	begin(t, ui, owner, control_test_delivery(ui->run, id, &t->p, err), err);
}

void testsend_values(struct testsend *t, struct ui *ui, struct screen *owner, const struct webhook *wh)
{
	struct event ev;
	struct sbuf what;
	char err[ERR_MAX], *body;

	if (ui_sender_ready(ui, err) < 0) {
		ui_show(ui, "Test send", err);
		return;
	}
	if (event_init(&ev, ui->cat, wh->events[0], NULL, NULL, err) < 0) {
		ui_show(ui, "Test send", err);
		return;
	}
	body = fanout_render(wh->payload, wh->format, &ev, err);
	if (!body) {
		event_clear(&ev);
		ui_show(ui, "Test send", err);
		return;
	}
	sbuf_init(&what);
	sbuf_appendf(&what, "The sample %s event with the form's values (not saved)", ev.type);
	describe(t, &what, wh->url);
	event_clear(&ev);
	begin(t, ui, owner, control_test_spec(ui->run, wh, body, &t->p, err), err);
	free(body);
}

void testsend_tick(struct testsend *t, struct ui *ui, struct screen *owner)
{
	struct control_test_result r;
	char err[ERR_MAX];
	int rc, waiting = ui->dlg.kind && ui->asker == owner && ui->dlg.tag == TESTSEND_ASK_WAIT;

	if (t->p.fd < 0)
		return;
	rc = control_test_check(&t->p, &r, err);
	if (rc == 0) {
		if (waiting)
			progress(t, ui);
		return;
	}
	ui->busy = 0;
	if (waiting)
		dialog_close(&ui->dlg);
	if (rc > 0) {
		result(t, ui, &r);
		control_test_result_clear(&r);
	} else {
		ui_show(ui, "Test send", err);
	}
}

void testsend_cancel(struct testsend *t, struct ui *ui)
{
	control_cancel(&t->p);
	ui->busy = 0;
}
