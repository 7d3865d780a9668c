/* The interface's loop and nothing else: it draws the top screen and the
 * dialog over it, hands each key to the dialog or the screen, acts on the
 * reaction the screen returns (open, close, reload, quit), gives a
 * dialog's answer to the screen that asked, and once a second refreshes
 * the sender's state and reloads when another process changed the store. */
#include "tui.h"

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

/* The keys that leave a screen or the interface. */
static int leaves(int key)
{
	return key == HK_ESC || key == HK_CTRL('c') || key == 'q' || key == HK_F(10);
}

static int too_small(const struct screen *top)
{
	return term_cols() < top->ops->min_cols || term_rows() < top->ops->min_rows;
}

static void reload(struct screen *s, struct ui *ui)
{
	if (s->ops->reload)
		s->ops->reload(s, ui);
}

/* Act on the reaction of the top screen; returns the new top. RELOAD is
 * for the screen that reacted; CLOSE takes it off (the bottom screen
 * stays) and the one below reloads unless a new one opens over it; OPEN
 * puts a new screen on top, read fresh already. */
static struct screen *react(struct screen *top, struct ui *ui, struct reaction r)
{
	if (r.flags & R_QUIT)
		ui->quit = 1;
	if ((r.flags & R_CLOSE) && top->below) {
		struct screen *below = top->below;

		if (ui->asker == top) {
			dialog_close(&ui->dlg);
			ui->asker = NULL;
		}
		top->ops->free(top);
		top = below;
		if (!(r.flags & R_OPEN))
			reload(top, ui);
	} else if (r.flags & R_RELOAD) {
		reload(top, ui);
	}
	if ((r.flags & R_OPEN) && r.open) {
		r.open->below = top;
		top = r.open;
	}
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

/* How often the data is looked at for others' writes (a pragma on
 * SQLite; on PostgreSQL the notifications already received, no round
 * trip), so that a change made on another host shows within a second. */
#define DATA_CHECK_MS 250

/* No key came: background work, once a second the sender, and the data. */
static struct screen *idle(struct screen *top, struct ui *ui, long long *checked, long long *looked)
{
	long long now = ui_now_ms(), v;

	if (top->ops->tick)
		top = react(top, ui, top->ops->tick(top, ui));
	ui_wake_for_audit(ui);
	if (now - *checked >= 1000) {
		*checked = now;
		ui_refresh_sender(ui);
	}
	if (now - *looked < DATA_CHECK_MS)
		return top;
	*looked = now;
	v = store_data_version(ui->st);
	if (v != ui->data_version) {
		ui->data_version = v;
		reload(top, ui);
	}
	return top;
}

static void finish(struct screen *top, struct ui *ui)
{
	while (top) {
		struct screen *below = top->below;

		top->ops->free(top);
		top = below;
	}
	ui_close(ui);
}

int tui_run(const char *dir, const char *run, const char *datadir, const char *hookmand_path, char *err)
{
	struct ui ui;
	struct paste paste = { 0, 0 };
	struct screen *top;
	long long checked = 0, looked;
	int key = 0, held = 0, no_tty;

	if (term_usable(&no_tty, err) < 0)
		return no_tty ? 2 : 1;
	if (ui_open(&ui, dir, run, datadir, hookmand_path, err) < 0)
		return 1;
	checked = looked = ui_now_ms();
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
		key = held ? held : term_key(ui.busy ? 100 : DATA_CHECK_MS);
		held = 0;
		if (key < 0)
			break;
		if (key == HK_CTRL('z')) {
			term_stop_job();
		} else if (key == HK_PASTE_BEGIN) {
			paste_marked(&paste, top, &ui);
		} else if (!ui.dlg.kind && key >= 0x20 && key < 0x110000 && top->ops->text_mode &&
			   top->ops->text_mode(top) && !too_small(top)) {
			held = paste_burst(&paste, top, &ui, key);
		} else if (key == 0) {
			top = idle(top, &ui, &checked, &looked);
		} else if (key != HK_RESIZE && (!too_small(top) || leaves(key))) {
			/* Too small to draw, the screen still takes the keys that
			 * leave it (a question they raise shows once it fits);
			 * the others are dropped, never typed unseen. */
			top = ui.dlg.kind ? answer(top, &ui, key) : react(top, &ui, top->ops->key(top, &ui, key));
		}
	}
	term_stop();
	finish(top, &ui);
	return 0;
}
