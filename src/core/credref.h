/* Credential references: in an export document (and so in what apply
 * reads), a URL, a secret or a header value may say where it comes from
 * instead of holding it — {"env": "NAME"} or {"file": "PATH"} — so that a
 * file kept in version control holds no credential. The store keeps the
 * references of a webhook (webhooks.refs, JSON text, NULL when none:
 * {"url": REF, "secret": REF, "headers": {"Name": REF}}) so that an export
 * writes them back in place of the values. */
#ifndef HOOKMAN_CREDREF_H
#define HOOKMAN_CREDREF_H

#include <jansson.h>

#include "sbuf.h"
#include "webhook.h"

#define CREDREF_FILE_MAX (64 * 1024)

/* Whether j is meant as a reference: a JSON object (credref_resolve says
 * what is wrong with one that is not a valid reference). */
int credref_is(const json_t *j);

/* The value ref points to, read now: the environment variable (refused
 * unset or empty), or the file's content with one trailing newline
 * dropped (refused when empty, over CREDREF_FILE_MAX bytes, not UTF-8, or
 * holding another control character). A PATH starting with
 * "$CREDENTIALS_DIRECTORY/" has the variable expanded (refused when it is
 * unset); another relative PATH is relative to base (NULL: the current
 * directory). Returns the value (caller frees), or NULL with err
 * (ERR_INVALID, naming the variable or path and how to fix it; ERR_NOMEM).
 * *stored (may be NULL) receives the reference as the store keeps it, a
 * new reference: a relative path made absolute, the rest as written. */
char *credref_resolve(const json_t *ref, const char *base, json_t **stored, char *err);

/* Append "env NAME" or "file PATH" for a stored reference. 0, or -1 when
 * memory ran out (sticky in out). */
int credref_describe(struct sbuf *out, const json_t *ref);

/* The reference a webhook's field comes from, from its refs text: field
 * is "url" or "secret", or "headers" with header the header's name
 * (matched ignoring case). A borrowed pointer into *doc, which the caller
 * decrefs (set to the parsed refs, or NULL); NULL when the field has no
 * reference. */
const json_t *credref_of(const char *refs, const char *field, const char *header, json_t **doc);

/* Where wh's field comes from, appended as " (from env NAME)"; nothing
 * when it has no reference. Arguments as credref_of. */
int credref_note(struct sbuf *out, const struct webhook *wh, const char *field, const char *header);

/* The one rule for references after a change: a field keeps its reference
 * only while it keeps the value the reference gave it. Sets after->refs to
 * the references of before->refs whose field has the same value in after
 * (URL, secret, or the one header of that name: a second header of the
 * name drops it); NULL when none is left. Every
 * front end that changes a webhook (edit, the form) calls it; apply and
 * import set the references themselves. 0, or -1 with err (ERR_NOMEM). */
int credref_keep(struct webhook *after, const struct webhook *before, char *err);

#endif
