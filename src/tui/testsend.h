/* A test send from the interface, without blocking the screen: started
 * from the list (a stored webhook) or the form (its values, not saved);
 * the screen that started it ticks it until hookmand answers, showing a
 * progress dialog and then the result. */
#ifndef HOOKMAN_TESTSEND_H
#define HOOKMAN_TESTSEND_H

#include "control.h"
#include "screen.h"

struct ui;
struct webhook;

/* The progress dialog's tag: its answer (Esc) stops waiting. */
enum { TESTSEND_ASK_WAIT = 200 };

struct testsend {
	struct control_pending p;   /* fd -1: nothing waiting */
	long long started;
	char *what;                 /* "The sample … event to …" (owned) */
};

void testsend_init(struct testsend *t);
void testsend_free(struct testsend *t);

/* Send the sample event of wh's first event to the stored webhook wh
 * (the delivery is recorded as a test). */
void testsend_webhook(struct testsend *t, struct ui *ui, struct screen *owner, const struct webhook *wh);

/* Send the sample event with wh's values, which are not saved. */
void testsend_values(struct testsend *t, struct ui *ui, struct screen *owner, const struct webhook *wh);

/* Look for the answer: the progress dialog is updated, or replaced by the
 * result (or the failure) when it came. */
void testsend_tick(struct testsend *t, struct ui *ui, struct screen *owner);

/* The operator stopped waiting. */
void testsend_cancel(struct testsend *t, struct ui *ui);

#endif
