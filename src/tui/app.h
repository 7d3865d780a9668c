/* The interface's shared state and the functions its screens call on each
 * other. Internal to src/tui: app.c runs the loop, screen_*.c draw and
 * take keys, testsend.c and fire.c drive hookmand and the store. */
#ifndef HOOKMAN_APP_H
#define HOOKMAN_APP_H

#include <jansson.h>

#include "catalog.h"
#include "control.h"
#include "dialog.h"
#include "draw.h"
#include "form.h"
#include "listview.h"
#include "store.h"

enum screen { S_LIST, S_FORM, S_DELIVERIES };
enum ask { ASK_DELETE = 1, ASK_DISCARD, ASK_PRESET, ASK_REPLACE, ASK_CONFLICT, ASK_INFO, ASK_TESTING,
	   ASK_FIRE_TYPE, ASK_FIRE };

struct app {
	const char *dir, *hookmand;
	struct store *st;
	struct catalog *cat;
	struct listview lv;
	json_t *latest;             /* webhook id → its newest delivery */
	long long data_version;
	char sender[160];
	char store_error[ERR_MAX];      /* the sender's, from the last wake */
	size_t paste_refused;           /* bytes of a paste refused so far */
	long long paste_refused_until;  /* until then, what follows belongs to it */
	enum color sender_color;
	long long status_at;
	enum screen screen;
	struct form form;
	struct dialog dlg;
	int filtering;
	char filter[128];
	char flash[1024];
	enum color flash_color;
	int pending_preset;         /* preset chosen, waiting for "replace?" */
	struct control_pending test;/* a test send waiting for its answer (fd -1: none) */
	json_t *dlv;                /* deliveries shown, newest first */
	size_t dsel, dtop;
	char dwebhook[400];         /* deliveries of this webhook, "" for all */
	long fire_type;             /* catalog index chosen to fire */
	json_t *fire_data;          /* its data, edited or the sample's */
	long long test_started;
	char test_what[400];
	int quit;
};

/* app.c */
long long app_now_ms(void);
void app_flash(struct app *a, enum color c, const char *msg);
long long app_data_version(struct app *a);
void app_reload(struct app *a);          /* the list and the last results */
/* Tell hookmand to look at the queue. Returns its STORE ERROR (valid until
 * the next call), or NULL when it has none or did not answer. */
const char *app_wake(struct app *a);
void app_time(long long ms, char *out, size_t size);

/* screen_list.c */
void list_draw(struct app *a);
void list_key(struct app *a, int key);

/* screen_form.c */
void form_screen_open(struct app *a, const struct webhook *wh);
void form_screen_draw(struct app *a);
void form_screen_key(struct app *a, int key);
void form_screen_save(struct app *a, int overwrite);
void form_screen_preset(struct app *a, int which);
void form_screen_leave(struct app *a, const char *msg);

/* screen_deliveries.c */
void deliveries_open(struct app *a, const char *webhook);
void deliveries_load(struct app *a);
void deliveries_draw(struct app *a);
void deliveries_key(struct app *a, int key);

/* fire.c */
void fire_ask_type(struct app *a);
void fire_ask(struct app *a);
void fire_now(struct app *a);

/* testsend.c */
void testsend_list(struct app *a, const struct webhook *wh);
void testsend_form(struct app *a);
void testsend_progress(struct app *a);
void testsend_result(struct app *a, json_t *r);

#endif
