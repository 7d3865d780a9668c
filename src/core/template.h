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

#include "sbuf.h"

#define TEMPLATE_MAX (256 * 1024)   /* bytes */

/* What kind of failure a verdict is, so that a front end branches on it
 * and never on the sentence. */
enum template_problem {
	TP_NONE,            /* usable */
	TP_EMPTY,           /* nothing but blanks */
	TP_TOO_LARGE,       /* more than TEMPLATE_MAX bytes */
	TP_ENCODING,        /* not UTF-8: the position is the first bad byte */
	TP_SYNTAX,          /* not JSON: the position is where it goes wrong */
	TP_NOT_OBJECT,      /* JSON, but not an object: the position is its start */
	TP_NO_PLACEHOLDER,  /* an object without $Title or $Event in a string value */
};

struct template_verdict {
	int ok;                   /* the template is usable (problem is TP_NONE) */
	enum template_problem problem;
	/* Where the problem is, for TP_ENCODING, TP_SYNTAX and TP_NOT_OBJECT
	 * (all 0 otherwise): 1-based line, column in characters, column in
	 * terminal cells as the payload editor draws the line (a wide
	 * character takes 2 cells, a tab 1), and the byte offset of the
	 * offending character, to highlight it. */
	int line, column, display_column;
	size_t offset;
	int at_end;               /* TP_SYNTAX: the text stops too soon; no character is
				   * at fault and offset is just after the last non-blank one */
	int has_title;            /* a string value holds $Title */
	int has_event;            /* a string value holds $Event */
	char what[512];           /* the problem without its position, "" when ok:
				   * "',' or '}' expected after the value" */
	char msg[512];            /* the whole sentence, "" when ok: "',' or '}' expected
				   * after the value on line 3, column 14" */
};

/* Check text[0..len) as a payload template and describe it in *v. Returns
 * 0 when valid, -1 otherwise with v->problem, v->msg and err (when not
 * NULL; kind ERR_INVALID) set. Syntax errors are said in plain words with
 * their line and column (in characters): "'}' missing at the end (the
 * object opened on line 1 is not closed)", "',' or '}' expected after the
 * value on line 3, column 14", "a string is not closed on line 2, column
 * 9", "unexpected ',' on line 4, column 2 (a trailing comma is not allowed
 * in JSON)", "':' expected after the key on line 2, column 9", "the
 * payload is empty: start with {"; the others read "payload must be a JSON
 * object, not an array", "payload has no $Event placeholder (...)",
 * "payload is 1048576 bytes; the limit is 262144 (256 KiB)". */
int template_check(const char *text, size_t len, struct template_verdict *v, char *err);

/* The same verdict as template_check, for the payload editor to give at
 * every keystroke: a scan of the text (jsonsyntax, then jsonscan) decides
 * without jansson, and only when the scan cannot be sure (a key that may
 * repeat in its object, a number that may be too large) does jansson
 * parse it, through template_check. Same return and err. */
int template_check_live(const char *text, size_t len, struct template_verdict *v, char *err);

/* Append to out the one line a form shows under the payload: "✓ valid
 * JSON · $Title ✓ · $Event ✓"; "✗ line 3, column 14: ',' or '}' expected
 * after the value"; "✗ JSON fine, but $Event is missing (the receiver
 * would get no event text)"; else "✗ " and the sentence. A ✗ line never
 * says "valid" (it can only quote the operator's own text). */
void template_verdict_summary(const struct template_verdict *v, struct sbuf *out);

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
