/* JSON syntax in plain words: where a text stops being JSON, and why, said
 * so that an operator who does not read grammars can act on it ("',' or
 * '}' expected after the value", "a string is not closed"). It accepts
 * what jansson's json_loadb(JSON_DECODE_ANY) accepts, but for what only a
 * parse can tell (a key twice in one object, a number too large to hold),
 * which template_check asks jansson about, and for a NUL byte right after
 * a number or literal, which jansson skips and this scan refuses (no
 * payload holds one on purpose). No allocation. */
#ifndef HOOKMAN_JSONSYNTAX_H
#define HOOKMAN_JSONSYNTAX_H

#include <stddef.h>

/* jansson's limit: it refuses an array or object opened deeper. */
#define JSONSYNTAX_MAX_DEPTH 2048

/* Where a byte offset is, as people count and as the payload editor draws
 * it. All 1-based. */
struct jsonsyntax_pos {
	int line;
	int column;          /* characters (UTF-8 code points) from the line's start */
	int display_column;  /* terminal cells: a wide character takes 2, a tab 1 */
};

/* The first place a text goes wrong. The full sentence is head, then the
 * position ("on line 3, column 14"), then tail; at the end of the text
 * (at_end) head and tail are said without a position. */
struct jsonsyntax_error {
	size_t offset;       /* byte offset of the offending character */
	int at_end;          /* the text stops too soon: no character is at fault,
			      * and offset is just after its last non-blank one */
	char head[256];      /* "',' or '}' expected after the value" */
	char tail[256];      /* "(a trailing comma is not allowed in JSON)", or "" */
};

/* Check that text[0..len), which must be valid UTF-8, is one JSON value
 * with only blanks around it. 0 when it is; else -1 with *e filled. */
int jsonsyntax_check(const char *text, size_t len, struct jsonsyntax_error *e);

/* The start of the token that ends at byte pos, or that holds the byte
 * just before it, in a text jsonsyntax_check accepted: where jansson's
 * error position (just after the token it refused) begins. */
size_t jsonsyntax_token_start(const char *text, size_t len, size_t pos);

/* The position of byte offset off of text, which must be valid UTF-8 up
 * to off. */
void jsonsyntax_position(const char *text, size_t off, struct jsonsyntax_pos *p);

#endif
