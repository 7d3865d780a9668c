/* Payload templates: a JSON object whose strings hold $Title and $Event.
 * Rendering never pastes text into JSON: it parses the template, replaces
 * the placeholders inside every string (keys included) and serializes, so
 * the output is valid JSON whatever the title and event text hold. */
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
 * UTF-8). Returns a compact JSON document the caller frees, or NULL with
 * err set when the template is invalid or memory runs out. */
char *template_render(const char *text, size_t len, const char *title,
		      const char *event, char *err);

/* Replace $Title and $Event in s in one pass (a replacement is never
 * scanned again). Returns a new string the caller frees, or NULL. */
char *template_substitute(const char *s, size_t len, const char *title,
			  const char *event, size_t *outlen);

#endif
