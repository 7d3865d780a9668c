/* What a template check needs from a JSON text once its syntax is known
 * to be right, found in one pass without building a tree: whether a
 * string value holds $Title or $Event, and whether jansson could still
 * refuse the text (a key twice in one object, a number too large). The
 * live check in the payload editor uses it so that a keystroke costs a
 * scan rather than a parse; where only a parse can tell, it says so and
 * the caller parses. */
#ifndef HOOKMAN_JSONSCAN_H
#define HOOKMAN_JSONSCAN_H

#include <stddef.h>

struct jsonscan_facts {
	char top;          /* the first byte of the top value: '{', '[', '"', … */
	int has_title;     /* a string value (not a key), decoded, holds "$Title" */
	int has_event;     /* the same for "$Event" */
	int needs_parse;   /* only a parse can tell: some object may hold a key
			    * twice, or some number may be too large for jansson */
};

/* Scan text[0..len), which jsonsyntax_check must have accepted (valid
 * UTF-8, one JSON value), into *f. 0, or -1 when memory ran out (*f is
 * then unusable). */
int jsonscan_facts(const char *text, size_t len, struct jsonscan_facts *f);

#endif
