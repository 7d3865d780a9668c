/* The export document: every webhook's settings as one JSON document that
 * import reads back. Kept apart from the store so that the parser can be
 * checked (and fuzzed) on its own. */
#ifndef HOOKMAN_TRANSFER_H
#define HOOKMAN_TRANSFER_H

#include <stddef.h>

#include "catalog.h"
#include "webhook.h"

#define TRANSFER_FORMAT 1

/* Serialize list[0..n) as an export document, pretty-printed. URLs and
 * secrets are masked (and the document marked "redacted") unless
 * with_secrets. A field that came from a reference is written as that
 * reference, never as its value. Returns a string the caller frees, or NULL with err set. */
char *transfer_export(const struct webhook *list, size_t n, int with_secrets, char *err);

/* Called once per problem with one entry, e.g. 'entry 2 ("bad url"): URL
 * scheme "ftp" is not allowed'. */
typedef void (*transfer_report_fn)(void *ctx, const char *msg);

/* Parse text[0..len) (from source, a name for messages) as an export
 * document and check every entry against the rules and cat: fields, and
 * names unique within the document. An entry's "url" and "secret", and
 * the value of a header written as {"name": "N", "value": V}, may be a
 * reference (credref.h), resolved now with relative paths under base
 * (NULL: the current directory); the entry's refs then records it. A
 * reference that does not resolve is a problem of its entry, naming the
 * field. On success *out holds *n webhooks the
 * caller frees with transfer_free() and 0 is returned. On failure returns
 * -1 with *out NULL: a document-level problem (bad JSON with its line and
 * column, not an export, a redacted export) is in err; problems with
 * entries are each passed to report, and err says how many there were. */
int transfer_parse(const char *text, size_t len, const char *source, const char *base,
		   const struct catalog *cat, struct webhook **out, size_t *n, transfer_report_fn report, void *ctx, char *err);

void transfer_free(struct webhook *list, size_t n);

#endif
