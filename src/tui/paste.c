#include "paste.h"

#include <limits.h>
#include <stdlib.h>

#include "keys.h"
#include "sbuf.h"
#include "screen.h"
#include "term.h"
#include "ui.h"

#define PASTE_GAP_MS 50                 /* ends a paste the terminal did not mark */
#define PASTE_MAX (16 * 1024 * 1024)    /* past this a paste is only counted */

/* Add a pasted key to the text; 0 when it is not text (the paste ends). */
static int add(struct sbuf *text, size_t *total, int key, int multiline)
{
	char mb[MB_LEN_MAX];
	int len;

	if ((key == HK_ENTER || key == HK_TAB) && multiline) {
		mb[0] = key == HK_ENTER ? '\n' : '\t';
		len = 1;
	} else if (key >= 0x20 && key < 0x110000) {
		len = wctomb(mb, (wchar_t)key);
	} else {
		return 0;
	}
	if (len <= 0)
		return 1;
	*total += (size_t)len;
	if (*total <= PASTE_MAX)
		sbuf_appendn(text, mb, (size_t)len);
	return 1;
}

static int multiline(struct screen *s)
{
	return s->ops->text_mode && s->ops->text_mode(s) == 2;
}

void paste_marked(struct paste *p, struct screen *s, struct ui *ui)
{
	struct sbuf text;
	size_t total = 0;
	int key, multi = multiline(s), typing = !ui->dlg.kind && s->ops->text_mode && s->ops->text_mode(s);

	(void)p;
	sbuf_init(&text);
	while ((key = term_key(1000)) > 0 && key != HK_PASTE_END)
		add(&text, &total, key, multi);
	if (typing) {
		if (total > PASTE_MAX || text.failed)
			s->ops->refuse_paste(s, ui, total);
		else
			s->ops->type(s, ui, sbuf_text(&text), text.len);
	}
	sbuf_release(&text);
}

int paste_burst(struct paste *p, struct screen *s, struct ui *ui, int key)
{
	int multi = multiline(s), keys = 0;
	long long now;
	struct sbuf text;
	size_t total = 0;

	sbuf_init(&text);
	do {
		add(&text, &total, key, multi);
		keys++;
		key = term_key(keys > 1 ? PASTE_GAP_MS : 0);
	} while (key > 0 && (key == HK_ENTER || key == HK_TAB ? multi : key >= 0x20 && key < 0x110000));
	now = ui_now_ms();
	if (keys > 1 && now < p->refused_until) {
		p->refused += total;
		s->ops->refuse_paste(s, ui, p->refused);
	} else if (total > PASTE_MAX || text.failed) {
		s->ops->refuse_paste(s, ui, total);
		p->refused = keys > 1 ? total : 0;
	} else if (s->ops->type(s, ui, sbuf_text(&text), text.len) < 0) {
		p->refused = keys > 1 ? total : 0;
	} else {
		p->refused = 0;
	}
	if (p->refused)
		p->refused_until = now + 4 * PASTE_GAP_MS;
	sbuf_release(&text);
	return key;
}
