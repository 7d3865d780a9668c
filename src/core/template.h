/* Payload templates: a JSON object whose strings hold $Title and $Event.
 * Rendering keeps the operator's text: jansson checks the template, then
 * the text is copied as written and only the placeholders inside string
 * tokens (keys included) are replaced, by JSON-escaped text. The output is
 * valid JSON whatever the title and event text hold, and numbers, key
 * order, spacing and the operator's own escapes reach the receiver
 * unchanged. */
#ifndef HOOKMAN_TEMPLATE_H
#define HOOKMAN_TEMPLATE_H

#include <stddef.h>

#define TEMPLATE_MAX (256 * 1024)   /* bytes */

struct template_verdict {
	int ok;            /* the template is usable */
	int line, column;  /* 1-based position of a syntax error, else 0 */
	size_t offset;     /* byte offset of a syntax error */
	int has_title;     /* a string value holds $Title */
	int has_event;     /* a string value holds $Event */
	char msg[512];     /* what is wrong, "" when ok */
};

/* Check text[0..len) as a payload template and describe it in *v. Returns
 * 0 when valid, -1 otherwise with v->msg (and err, when not NULL) set to a
 * sentence such as "line 3, column 14: unexpected token near '}'",
 * "payload must be a JSON object, not an array", "payload has no $Event
 * placeholder" or "payload is 1048576 bytes; the limit is 262144 (256 KiB)". */
int template_check(const char *text, size_t len, struct template_verdict *v, char *err);

/* Render the template with title and event text (both NUL-terminated
 * UTF-8, already escaped for the destination by the format; see
 * format_render): the template's own text, byte for byte, with each
 * $Title and $Event inside a string token (a key or a value) replaced by
 * the JSON-escaped title or event, in one pass (a replacement is never
 * scanned again). A placeholder written with escapes ("\u0024Title") is
 * replaced too, as template_check counts it; nothing is reformatted.
 * Returns a string the caller frees, or NULL with err set: the template is
 * invalid (template_check's sentence), the title or event text is not
 * UTF-8, or memory runs out. A replacement in a key can make two keys
 * equal; the body then holds both and a parser keeps the last, as the
 * tree walk of earlier versions did. */
char *template_render(const char *text, size_t len, const char *title,
		      const char *event, char *err);

/* Replace $Title and $Event in the plain (decoded) text s in one pass (a
 * replacement is never scanned again); no JSON escaping. Returns a new
 * string the caller frees, or NULL when memory runs out. */
char *template_substitute(const char *s, size_t len, const char *title,
			  const char *event, size_t *outlen);

#endif
