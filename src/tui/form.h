/* The New/Edit webhook form as plain state: fields, focus, the events
 * checklist, live payload validation, and what Save would write. The
 * terminal layer draws it and feeds it keys; tests drive it directly. */
#ifndef HOOKMAN_FORM_H
#define HOOKMAN_FORM_H

#include "catalog.h"
#include "editor.h"
#include "template.h"
#include "webhook.h"

enum form_field {
	FF_NAME, FF_URL, FF_EVENTS, FF_FORMAT, FF_PAYLOAD, FF_SECRET, FF_HEADERS,
	FF_ENABLED, FF_VERIFY, FF_TIMEOUT, FF_RATE, FF_RETRY, FF_COALESCE, FF_SAVE, FF_TEST, FF_CANCEL, FF_COUNT
};

/* What a key asked the screen to do beyond editing the form. */
enum form_request {
	FORM_NONE, FORM_SAVE, FORM_CANCEL, FORM_PREVIEW, FORM_PRESET, FORM_HELP, FORM_MESSAGES, FORM_TEST, FORM_EDITOR
};

/* One row of the events checklist: a group with several kinds, or an
 * event (event >= 0). */
struct form_row {
	size_t group;
	long event;
};

#define FORM_ROWS_MAX 64

struct form {
	const struct catalog *cat;
	struct webhook base;          /* as loaded: id and version for the save */
	int is_new;
	enum form_field focus;
	struct editor name, url, payload, headers, timeout;
	struct editor rate, retry;    /* as --rate and --retry-schedule read them; empty: none, default */
	struct editor coalesce;       /* as --coalesce reads it; empty: none */
	char *secret;                 /* NULL: none */
	int secret_shown;             /* revealed on request, until focus leaves */
	int rotated;                  /* R: Save keeps the saved secret signing for the default grace */
	int headers_shown;            /* credential headers revealed (r), until focus leaves */
	char *chosen;                 /* per catalog event */
	struct form_row rows[FORM_ROWS_MAX];
	size_t nrows, row;            /* checklist rows and the cursor in them */
	enum format format;
	int enabled, verify_tls;
	int dirty;
	size_t page;                  /* rows of the payload box: PgUp/PgDn's step */
	struct template_verdict verdict;   /* of the payload, after every change */
	char note[ERR_MAX];           /* a message for the operator, "" when none */
	struct webhook_problem problems[WF_COUNT];
	size_t nproblems;             /* from the last save attempt */
	/* The destination check (destination.h) of what it was last made for:
	 * URL, payload, format and first event; remade only when one changed. */
	char *dest_url, *dest_payload;
	enum format dest_format;
	long dest_event;
	char dest_warning[ERR_MAX];   /* the first warning, "" when none */
};

/* A form for a new webhook (wh NULL: the Generic preset payload, all
 * defaults) or for editing wh (copied). payload_default is the text a new
 * form starts with. 0 or -1 with err when out of memory. */
int form_open(struct form *f, const struct catalog *cat, const struct webhook *wh,
	      const char *payload_default, char *err);
void form_close(struct form *f);

/* The first warning of the destination check (destination_check_payload)
 * of the payload, rendered with the format and the sample of the first
 * chosen event, for the service the URL names: "" when the URL names none,
 * the payload is not valid or the body fits. Advice: never blocks saving.
 * Remade only when the URL, payload, format or first event changed. The
 * text is the form's, valid until the next call. */
const char *form_destination_warning(struct form *f);

/* Move the focus to ff (a click); leaving the secret or the headers hides
 * them again. */
void form_focus(struct form *f, enum form_field ff);

/* Feed one key (keys.h codes). Returns what the screen should do next. */
enum form_request form_key(struct form *f, int key);

/* Whether the headers hold a credential (Authorization, a token, …) that
 * is not revealed: they are then shown masked and cannot be edited until
 * r reveals them (in the headers field, as r reveals the secret in its
 * own); leaving the field masks them again. */
int form_headers_masked(const struct form *f);

/* The headers as shown while masked: each line through mask_header_line.
 * Caller frees; NULL when memory ran out. */
char *form_headers_masked_text(const struct form *f);

/* Whether the focused field takes typed text (printable keys go to
 * form_type), rather than keys (form_key). */
int form_is_text(const struct form *f);

/* Type or paste text into the focused text field, all or nothing: text
 * that would pass the field's limit is not inserted at all, and the note
 * says how large it was and what the limit is. 0, or -1 when refused. */
int form_type(struct form *f, const char *text, size_t n);

/* Tell the form that a paste of `total` bytes was refused in part
 * already, so the rest of it is refused too and the note counts it all
 * (a terminal without bracketed paste delivers a large paste in pieces). */
void form_refuse_paste(struct form *f, size_t total);

/* Replace the payload (a preset) and, when format is not NULL, the event
 * formatting. */
void form_set_payload(struct form *f, const char *text, const enum format *format);

/* Fill the payload from a preset named name whose formatting is asked:
 * Slack's sets slack; Jira's sets jira when every chosen event fits it
 * and otherwise keeps the operator's formatting, the note saying why;
 * the others keep the operator's formatting. */
void form_apply_preset(struct form *f, const char *name, const char *payload, enum format asked);

/* Build the webhook the form describes into out (initialised here, caller
 * clears) and check every field. Returns the number of problems (also kept
 * in f->problems) and moves the focus to the first bad field. */
size_t form_build(struct form *f, struct webhook *out);

/* The field a webhook rule belongs to. */
enum form_field form_field_of(enum webhook_field wf);

/* Labels as the form shows them. */
const char *form_label(enum form_field ff);


/* State of a checklist row: 2 all chosen, 1 some, 0 none. */
int form_row_state(const struct form *f, const struct form_row *r);

#endif
