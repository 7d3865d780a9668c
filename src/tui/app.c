/* The interface's loop and nothing else: it draws the top screen and the
 * dialog over it, hands each key to the dialog or the screen, acts on the
 * reaction the screen returns (open, close, reload, quit), gives a
 * dialog's answer to the screen that asked, and once a second refreshes
 * the sender's state and reloads when another process changed the store. */
#include "tui.h"

#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "draw.h"
#include "paste.h"
#include "screens.h"
#include "ui.h"

static void draw(struct screen *top, struct ui *ui)
{
	ui->rows = term_rows();
	ui->cols = term_cols();
	if (ui->cols < top->ops->min_cols || ui->rows < top->ops->min_rows) {
		draw_too_small(top->ops->name, top->ops->min_cols, top->ops->min_rows);
		return;
	}
	draw_begin();
	draw_cursor(-1, 0);
	top->ops->draw(top, ui);
	if (ui->dlg.kind)
		draw_dialog(ui);
	draw_end();
}

static int too_small(const struct screen *top)
{
	return term_cols() < top->ops->min_cols || term_rows() < top->ops->min_rows;
}

/* Act on a reaction; returns the new top screen. */
static struct screen *react(struct screen *top, struct ui *ui, struct reaction r)
{
	if (r.flags & R_QUIT)
		ui->quit = 1;
	if ((r.flags & R_CLOSE) && top->below) {
		struct screen *below = top->below;

		top->ops->free(top);
		top = below;
		if (!(r.flags & R_OPEN))
			top->ops->reload(top, ui);
	}
	if ((r.flags & R_OPEN) && r.open) {
		r.open->below = top;
		top = r.open;
	}
	if (r.flags & R_RELOAD)
		top->ops->reload(top, ui);
	return top;
}

/* A dialog's answer goes to the screen that asked. */
static struct screen *answer(struct screen *top, struct ui *ui, int key)
{
	struct screen *asker = ui->asker;
	int tag = ui->dlg.tag, value;

	dialog_layout(&ui->dlg, ui->cols, ui->rows);
	value = dialog_key(&ui->dlg, key);
	if (value == DIALOG_OPEN)
		return top;
	dialog_close(&ui->dlg);
	ui->asker = NULL;
	return asker && asker->ops->answer ? react(top, ui, asker->ops->answer(asker, ui, tag, value)) : top;
}

/* No key came: background work, and once a second the sender and the data. */
static struct screen *idle(struct screen *top, struct ui *ui, long long *checked)
{
	long long now = ui_now_ms(), v;

	if (top->ops->tick)
		top = react(top, ui, top->ops->tick(top, ui));
	if (now - *checked < 1000)
		return top;
	*checked = now;
	ui_refresh_sender(ui);
	v = store_data_version(ui->st);
	if (v != ui->data_version) {
		ui->data_version = v;
		top->ops->reload(top, ui);
	}
	return top;
}

static int start(struct ui *ui, const char *dir, const char *datadir, const char *hookmand_path, char *err)
{
	const char *autostart = getenv("HOOKMAN_AUTOSTART");

	ui_init(ui);
	ui->dir = dir;
	ui->hookmand = hookmand_path;
	ui->autostart = !(autostart && strcmp(autostart, "0") == 0);
	ui->cat = catalog_load(datadir, err);
	if (!ui->cat)
		return -1;
	ui->st = store_open(dir, err);
	if (!ui->st) {
		catalog_free(ui->cat);
		return -1;
	}
	if (ui->autostart && control_ensure(dir, hookmand_path, 3000, NULL, err) < 0)
		ui_say(ui, C_BAD, "cannot start hookmand: %s", err);
	ui->data_version = store_data_version(ui->st);
	ui_refresh_sender(ui);
	return 0;
}

static void finish(struct screen *top, struct ui *ui)
{
	while (top) {
		struct screen *below = top->below;

		top->ops->free(top);
		top = below;
	}
	store_close(ui->st);
	catalog_free(ui->cat);
	ui_free(ui);
}

int tui_run(const char *dir, const char *datadir, const char *hookmand_path, char *err)
{
	struct ui ui;
	struct paste paste = { 0, 0 };
	struct screen *top;
	long long checked = 0;
	int key = 0, held = 0, no_tty;

	if (term_usable(&no_tty, err) < 0)
		return no_tty ? 2 : 1;
	if (start(&ui, dir, datadir, hookmand_path, err) < 0)
		return 1;
	checked = ui_now_ms();
	top = screen_list_new(&ui);
	draw_init_charset();
	if (!top || term_start() < 0) {
		err_set(err, top ? "curses could not start on this terminal; use the commands instead: hookman list, "
			"hookman --help" : "out of memory starting the interface");
		finish(top, &ui);
		return 2;
	}
	while (!ui.quit) {
		draw(top, &ui);
		key = held ? held : term_key(ui.busy ? 100 : 1000);
		held = 0;
		if (key < 0)
			break;
		if (key == HK_CTRL('z')) {
			term_stop_job();
		} else if (key == HK_PASTE_BEGIN) {
			paste_marked(&paste, top, &ui);
		} else if (!ui.dlg.kind && key >= 0x20 && key < 0x110000 && top->ops->text_mode &&
			   top->ops->text_mode(top)) {
			held = paste_burst(&paste, top, &ui, key);
		} else if (key == 0) {
			top = idle(top, &ui, &checked);
		} else if (key != HK_RESIZE && !too_small(top)) {
			top = ui.dlg.kind ? answer(top, &ui, key) : react(top, &ui, top->ops->key(top, &ui, key));
		}
	}
	term_stop();
	finish(top, &ui);
	return 0;
}
